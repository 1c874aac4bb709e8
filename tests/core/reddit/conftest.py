"""Every test here runs the real asyncpraw against a local fake Reddit."""

from __future__ import annotations

import pytest

from core.bootstrap import Core
from core.db.models import User
from core.reddit.client import Credentials
from core.reddit.models import RedditAccount
from core.settings import Settings
from core.users import Who
from tests.fakes.reddit import FakeReddit, make_jpeg


@pytest.fixture
def settings(make_settings, database_url: str, fake_reddit: FakeReddit) -> Settings:
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.fixture
def jpeg() -> bytes:
    return make_jpeg()


@pytest.fixture
async def user(core: Core) -> User:
    """An adult creator with NSFW features on."""
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("console", "alice", "Alice"))
        await core.users.confirm_adult(session, user)
        await core.users.set_nsfw(session, user, True)
    return user


@pytest.fixture
async def account(core: Core, user: User, fake_reddit: FakeReddit) -> RedditAccount:
    """u/alice connected through an existing refresh token."""
    creds = Credentials(kind="refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
    async with core.db.session() as session:
        return await core.reddit.accounts.save(session, user.id, "alice", creds, auth_kind="token")
