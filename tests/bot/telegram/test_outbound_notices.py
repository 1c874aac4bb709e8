"""Notice delivery keeps the global limits even on a bare `telegram.Bot` (a worker-only
process has no adapter): python-telegram-bot against the fake Bot API, on a fake clock
whose sleeps move time by what they slept."""

from __future__ import annotations

import pytest
from telegram import Bot

from bot.telegram.deliver import TelegramDeliverer
from core.posting.outbox import Notice
from core.users import Who
from tests.fakes.clock import FakeClock
from tests.fakes.telegram import FakeTelegram

ALICE = 42


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(autojump=True)


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, outbound={
        "enabled": True, "telegram_chat_messages": 1, "telegram_chat_seconds": 1.0})


async def _alice(core) -> int:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", str(ALICE), "Alice"))
        return user.id


def _notice(core, user_id: int, key: str) -> Notice:
    return Notice(0, user_id, "post_live", {"subreddit": "pics"}, key, core.clock.now())


async def test_two_notices_to_one_creator_keep_the_chat_pace(
        core, clock: FakeClock, fake_telegram: FakeTelegram):
    user_id = await _alice(core)
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url) as bot:
        deliverer = TelegramDeliverer(core, bot)
        assert await deliverer.deliver(_notice(core, user_id, "a")) is True
        assert await deliverer.deliver(_notice(core, user_id, "b")) is True
    assert len(fake_telegram.calls_to("sendMessage")) == 2
    assert clock.sleeps == [pytest.approx(1.0)]


async def test_a_flood_wait_is_waited_out_before_the_outbox_hears_of_it(
        core, clock: FakeClock, fake_telegram: FakeTelegram):
    user_id = await _alice(core)
    fake_telegram.failures["sendMessage"] = [429]
    fake_telegram.flood_wait = 4
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url) as bot:
        assert await TelegramDeliverer(core, bot).deliver(_notice(core, user_id, "a")) is True
    assert len(fake_telegram.calls_to("sendMessage")) == 1
    assert clock.sleeps == [pytest.approx(4.0)]
