"""Inbox specs run on a real, migrated database (SQLite; PostgreSQL when configured)
with a fake clock, so leases lapse when the test says so, never by waiting."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.db.database import Database
from core.db.migrate import upgrade
from core.inbox import Inbox
from tests.fakes.clock import FakeClock


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade(database)
    yield database
    await database.dispose()


@pytest.fixture
def inbox(db: Database, clock: FakeClock) -> Inbox:
    return Inbox(db, clock, "telegram", "123")
