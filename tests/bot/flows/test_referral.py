"""/referral in chat: the invite links, who joined through them and what they earned;
and /start ref_<code> (Telegram's deep link), which attributes a new creator once."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.conversation.dispatcher import Dispatcher
from core.billing import grants
from core.bootstrap import Core
from core.db.models import User
from core.referrals.models import Referral
from core.settings import Settings
from tests.fakes.chat import ChatDriver


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str) -> Settings:
    return make_settings(database_url, telegram={"bot_username": "ThottoPilotBot"},
                         web={"public_url": "https://thotto.example"})


def code_in(text: str) -> str:
    found = re.search(r"/r/([a-z0-9]+)", text)
    assert found is not None, text
    return found.group(1)


async def referrers_code(chat: ChatDriver) -> str:
    return code_in((await chat.send("/referral")).text)


async def referred_ids(core: Core) -> list[int]:
    async with core.db.read() as session:
        return list(await session.scalars(select(Referral.referred_id)))


async def test_referral_shows_both_links_and_the_reward(chat: ChatDriver):
    reply = await chat.send("/referral")

    code = code_in(reply.text)
    assert f"https://t.me/ThottoPilotBot?start=ref_{code}" in reply.text
    assert f"https://thotto.example/r/{code}" in reply.text
    assert "5.00 USD of credit" in reply.text
    assert "Nobody has joined through your link yet" in reply.text


async def test_a_new_creator_through_the_deep_link_is_welcomed_and_counted(
        chat: ChatDriver, dispatcher: Dispatcher):
    code = await referrers_code(chat)
    friend = ChatDriver(dispatcher, "bea", "Bea")

    await friend.send(f"/start ref_{code}")

    assert friend.texts[0] == "You were invited by a friend. Welcome! 💛"
    assert "Step 1 of 4" in friend.last.text  # and the usual wizard
    reply = await chat.send("/referral")
    assert "Joined through you: 1 · paying: 0" in reply.text


@pytest.mark.both_backends
async def test_the_reward_shows_once_the_friend_pays(
        chat: ChatDriver, dispatcher: Dispatcher, core: Core):
    code = await referrers_code(chat)
    friend = ChatDriver(dispatcher, "bea", "Bea")
    await friend.send(f"/start ref_{code}")
    async with core.db.session() as session:
        (bea_id,) = await referred_ids(core)
        bea = await session.get(User, bea_id)
        assert bea is not None
        await grants.grant(session, core.clock.now(), bea, source="stars", ref="charge-1",
                           tier="starter", status="active",
                           ends_at=core.clock.now() + timedelta(days=30),
                           paid="stars:charge-1")  # the money a reward is earned on

    reply = await chat.send("/referral")

    assert "Joined through you: 1 · paying: 1" in reply.text
    assert "Credit earned: 5.00 USD (5.00 USD still to use)" in reply.text


async def test_an_existing_creator_opening_a_link_is_not_counted(
        chat: ChatDriver, dispatcher: Dispatcher, core: Core):
    code = await referrers_code(chat)
    friend = ChatDriver(dispatcher, "bea", "Bea")
    await friend.send("/start")

    reply = await friend.send(f"/start ref_{code}")

    assert "invited" not in reply.text
    assert await referred_ids(core) == []


async def test_opening_your_own_link_counts_nothing(chat: ChatDriver, core: Core):
    code = await referrers_code(chat)

    await chat.send(f"/start ref_{code}")

    assert not any("invited" in text for text in chat.texts)
    assert await referred_ids(core) == []


async def test_a_broken_link_still_starts_the_wizard(dispatcher: Dispatcher, core: Core):
    friend = ChatDriver(dispatcher, "bea", "Bea")

    reply = await friend.send("/start ref_n0t-a-c0de!")

    assert "Step 1 of 4" in reply.text
    assert friend.texts == [reply.text]
    assert await referred_ids(core) == []
