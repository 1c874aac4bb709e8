"""Telegram's deep link t.me/<bot>?start=ref_<code>, through the real python-telegram-bot
Application against the fake Bot API: the app sends `/start ref_<code>` as the new
person's first message, and their account is attributed to the link's owner."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import select

from bot.telegram.adapter import TelegramAdapter
from core.bootstrap import Core
from core.referrals.models import Referral
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_user import TelegramUser

CEILING = 60.0


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, telegram={"bot_username": "ThottoPilotBot"})


async def test_a_new_person_through_the_deep_link_is_attributed(
        core: Core, fake_telegram: FakeTelegram, telegram_bot: TelegramAdapter):
    alice, bea = TelegramUser(fake_telegram, 1001), TelegramUser(fake_telegram, 2002)
    await alice.say("/referral")
    shown = await alice.expect("Invite friends", within=CEILING)
    link = re.search(r"https://t\.me/ThottoPilotBot\?start=(ref_\w+)", shown.params["text"])
    assert link is not None

    await bea.say(f"/start {link.group(1)}")  # what tapping Start on the link sends

    await bea.expect("You were invited by a friend", within=CEILING)
    await bea.expect("Step 1 of 4", within=CEILING)
    async with asyncio.timeout(CEILING):  # the replies go out before the flow commits
        while not (via := await _vias(core)):  # noqa: ASYNC110 - a commit, no event to await
            await asyncio.sleep(0.05)
    assert via == ["telegram"]


async def _vias(core: Core) -> list[str]:
    async with core.db.read() as session:
        return list(await session.scalars(select(Referral.via)))
