"""Web push specs: pywebpush against the local fake push service, a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.bootstrap import Core
from core.db.models import User
from core.settings import Settings
from core.users import Who
from tests.fakes.push import Browser, FakePushService, running_fake_push


@pytest.fixture
async def fake_push() -> AsyncIterator[FakePushService]:
    async with running_fake_push() as fake:
        yield fake


@pytest.fixture
def settings(make_settings, database_url: str, fake_push: FakePushService) -> Settings:
    return make_settings(database_url, push={"extra_endpoint_origins": [fake_push.origin],
                                             "contact_email": "ops@example.com"})


@pytest.fixture
async def user(core: Core) -> User:
    async with core.db.session() as session:
        found, _ = await core.users.get_or_create(session, Who("telegram", "77",
                                                                display_name="Mia"))
    return found


async def subscribed(core: Core, user: User, fake_push: FakePushService) -> Browser:
    """A browser of `user`'s with notifications on (stored as the web route stores it)."""
    from core.push import subscriptions
    from core.push.service import PushService

    browser = fake_push.browser()
    new = PushService(core).parse(browser.to_json())
    async with core.db.session() as session:
        await subscriptions.subscribe(session, user.id, new, core.clock.now())
    return browser
