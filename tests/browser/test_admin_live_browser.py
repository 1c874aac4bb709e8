"""The live dashboard in a real browser: live.js follows the event stream and the
numbers change in place, with no reload and no inline script (CSP holds)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from core.db.models import Event
from core.events import EventKind
from core.users import Who
from tests.fakes.web_signin import magic_link

FOUNDER = Who("telegram", "7", display_name="Founder")


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, admin={"telegram_ids": [7]},
                         launch={"live_every_seconds": 5})


async def test_the_numbers_update_without_a_reload(site, phone, core, clock):
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _, token, _ = await magic_link(core, FOUNDER)
    await phone.goto(f"{site}/signin?t={token}")
    await phone.get_by_role("button", name="Continue as").click()
    await phone.wait_for_url(f"{site}/settings")
    await phone.goto(f"{site}/admin/live")
    captions = phone.locator('[data-key="captions"]')
    assert await captions.inner_text() == "0"
    await phone.locator("#live-status", has_text="live").wait_for()

    async with core.db.session() as session:
        session.add(Event(user_id=None, kind=EventKind.CAPTION_GENERATED, data={},
                          created_at=clock.now()))
    async with asyncio.timeout(60):  # each advance lets the stream's wait run out
        while await captions.inner_text() != "1":
            clock.advance(timedelta(seconds=5))
            await asyncio.sleep(0.1)
    assert errors == []
