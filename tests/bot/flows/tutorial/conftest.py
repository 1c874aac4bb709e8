"""The tutorial's specs run against the fake Reddit (real asyncpraw) and the real
posting engine, caption engine and image shield, on a fake clock that starts
Wed 25 Nov 2026, 12:00 UTC."""

from __future__ import annotations

import pytest

from core.bootstrap import Core
from core.db.models import User
from core.users import Who
from tests.fakes.chat import ChatDriver
from tests.fakes.creators import connected_account
from tests.fakes.photos import camera_photo
from tests.fakes.reddit import FakeReddit


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def sfw_creator(core: Core) -> User:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("console", "alice", "Alice"))
    return user


async def connected_creator(core: Core, fake_reddit: FakeReddit) -> User:
    user = await sfw_creator(core)
    await connected_account(core, user, fake_reddit)
    return user


async def to_rule_check(chat: ChatDriver, caption: str = "Use 1") -> None:
    """Start /tutorial, send a photo, take a caption and skip protecting it."""
    await chat.send("/tutorial")
    await chat.upload(camera_photo())
    await chat.press(caption)
    await chat.press("Skip")
