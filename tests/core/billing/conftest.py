"""Billing specs run on a real database (SQLite, and PostgreSQL when configured) with
limits small enough to reach: 5 posts a day on the free tier."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from core.bootstrap import Core
from core.db.models import User
from core.settings import Settings
from core.users import Who

TIERS = {"free": {"posts_per_day": 5, "images_per_day": 2},
         "starter": {"posts_per_day": 20}}


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str) -> Settings:
    return make_settings(database_url, billing={"tiers": TIERS})


MakeUser = Callable[..., Awaitable[User]]


@pytest.fixture
def make_user(core: Core) -> MakeUser:
    async def _make(name: str = "alice", *, tier: str = "free",
                    timezone: str = "UTC") -> User:
        async with core.db.session() as session:
            user, _ = await core.users.get_or_create(session, Who("console", name))
            user.tier, user.timezone = tier, timezone
        return user

    return _make
