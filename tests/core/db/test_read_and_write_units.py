"""Reads take no write lock; writes keep theirs; the database is private to its owner."""

from __future__ import annotations

import asyncio
import stat

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.db.database import Database

CEILING = 60.0  # seconds: waiting for an event on a loaded machine, never a speed target


@pytest.fixture
async def db(database_url):
    database = Database(database_url)
    async with database.session() as session:
        await session.execute(text("CREATE TABLE notes (body VARCHAR(20))"))
        await session.execute(text("INSERT INTO notes VALUES ('first')"))
    yield database
    async with database.session() as session:
        await session.execute(text("DROP TABLE notes"))
    await database.dispose()


async def _count(db: Database) -> int:
    async with db.read() as session:
        return int((await session.execute(text("SELECT count(*) FROM notes"))).scalar_one())


async def test_a_read_goes_ahead_while_a_writer_holds_its_transaction(db):
    async with db.session() as writer:
        await writer.execute(text("INSERT INTO notes VALUES ('second')"))
        # If a read needed the write lock it would wait for this very writer.
        assert await asyncio.wait_for(_count(db), CEILING) == 1
    assert await _count(db) == 2


async def test_the_health_ping_answers_while_a_writer_holds_its_transaction(db):
    async with db.session() as writer:
        await writer.execute(text("INSERT INTO notes VALUES ('second')"))
        assert await asyncio.wait_for(db.ping(), CEILING) is True


async def test_a_write_inside_a_read_unit_is_refused(db):
    with pytest.raises(DBAPIError):
        async with db.read() as session:
            await session.execute(text("INSERT INTO notes VALUES ('sneaky')"))
    assert await _count(db) == 1


async def test_a_write_unit_still_commits_after_reads_on_the_same_pool(db):
    await _count(db)
    async with db.session() as session:
        await session.execute(text("INSERT INTO notes VALUES ('after')"))
    assert await _count(db) == 2


async def test_the_sqlite_file_and_its_directory_are_owner_only(tmp_path):
    path = tmp_path / "data" / "thottopilot.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with database.session() as session:
            await session.execute(text("CREATE TABLE t (x INTEGER)"))
    finally:
        await database.dispose()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
