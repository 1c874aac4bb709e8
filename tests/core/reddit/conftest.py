"""Every test here runs the real asyncpraw against a local fake Reddit."""

from __future__ import annotations

import pytest

from core.bootstrap import Core
from core.db.models import User
from core.reddit.models import RedditAccount
from core.settings import Settings
from tests.fakes.creators import adult_creator, connected_account
from tests.fakes.reddit import FakeReddit, make_jpeg


@pytest.fixture
def settings(make_settings, database_url: str, fake_reddit: FakeReddit) -> Settings:
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.fixture
def jpeg() -> bytes:
    return make_jpeg()


@pytest.fixture
async def user(core: Core) -> User:
    return await adult_creator(core)


@pytest.fixture
async def account(core: Core, user: User, fake_reddit: FakeReddit) -> RedditAccount:
    return await connected_account(core, user, fake_reddit)
