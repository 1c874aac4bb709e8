"""Every message the bot sends waits for room in the global limits (core.outbound),
as the fake Bot API sees it: python-telegram-bot's `ExtBot` with our rate limiter, on
a fake clock that moves only while every sender sleeps (tests.fakes.turns)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from itertools import pairwise

import pytest
from telegram.ext import ExtBot

from bot.conversation.replies import Reply
from bot.telegram.channel import TelegramChannel
from bot.telegram.outbound import OutboundRateLimiter
from core.outbound import OutboundLimiter
from core.outbound.store import MemoryStore, RedisStore, WindowStore
from core.settings import OutboundSettings
from tests.fakes.clock import FakeClock
from tests.fakes.telegram import FakeTelegram
from tests.fakes.turns import Turns

STRICT = OutboundSettings(telegram_chat_messages=1, telegram_chat_seconds=1.0)
CHAT = 42


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def turns(clock: FakeClock) -> Turns:
    return Turns(clock)


@pytest.fixture
async def fake_telegram(clock: FakeClock) -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram(clock=clock)  # stamps each call with the fake time it arrived
    await fake.start()
    yield fake
    await fake.close()


def limiter_on(store: WindowStore, clock: FakeClock, turns: Turns) -> OutboundLimiter:
    return OutboundLimiter(store, clock, sleep=turns.sleep)


def bot_for(fake: FakeTelegram, limiter: OutboundLimiter) -> ExtBot[None]:
    return ExtBot(fake.token, base_url=fake.base_url,
                  rate_limiter=OutboundRateLimiter(limiter, STRICT, fake.token))


def gaps(fake: FakeTelegram, chat: int = CHAT) -> list[timedelta]:
    times = sorted(c.at for c in fake.calls_to("sendMessage")
                   if int(c.params["chat_id"]) == chat and c.at is not None)
    return [later - earlier for earlier, later in pairwise(times)]


async def test_two_processes_sharing_redis_send_one_chat_at_most_one_a_second(
        fake_telegram: FakeTelegram, clock: FakeClock, turns: Turns,
        redis_section: dict[str, str]):
    stores = [RedisStore(redis_section["url"], redis_section["key_prefix"]) for _ in "ab"]
    bots = [bot_for(fake_telegram, limiter_on(s, clock, turns)) for s in stores]
    try:
        for bot in bots:
            await bot.initialize()

        async def burst(bot: ExtBot[None], name: str) -> None:
            for i in range(20):
                await bot.send_message(CHAT, f"{name} {i}")

        await turns.run(lambda: burst(bots[0], "a"), lambda: burst(bots[1], "b"))
    finally:
        for bot in bots:
            await bot.shutdown()
        for store in stores:
            await store.aclose()
    assert len(fake_telegram.calls_to("sendMessage")) == 40
    assert min(gaps(fake_telegram)) >= timedelta(seconds=1)


async def test_a_flood_wait_from_telegram_is_waited_out_and_the_message_sent_once(
        fake_telegram: FakeTelegram, clock: FakeClock, turns: Turns):
    fake_telegram.failures["sendMessage"] = [429]
    fake_telegram.flood_wait = 5
    start = clock.now()
    async with bot_for(fake_telegram, limiter_on(MemoryStore(), clock, turns)) as bot:
        await turns.run(lambda: bot.send_message(CHAT, "hello"))
    [sent] = fake_telegram.calls_to("sendMessage")
    assert sent.params["text"] == "hello"
    assert sent.at == start + timedelta(seconds=5)


async def test_a_flood_wait_holds_that_chat_for_other_senders_too(
        fake_telegram: FakeTelegram, clock: FakeClock, turns: Turns):
    fake_telegram.failures["sendMessage"] = [429]
    fake_telegram.flood_wait = 5
    start = clock.now()
    limiter = limiter_on(MemoryStore(), clock, turns)
    async with bot_for(fake_telegram, limiter) as first, \
            bot_for(fake_telegram, limiter) as second:
        await turns.run(lambda: first.send_message(CHAT, "one"))
        await turns.run(lambda: second.send_message(CHAT, "two"),
                        lambda: second.send_message(7, "elsewhere"))
    at = {c.params["text"]: c.at for c in fake_telegram.calls_to("sendMessage")}
    assert at["one"] == start + timedelta(seconds=5)
    assert at["two"] == start + timedelta(seconds=6)  # the pause, then the chat's pace
    assert at["elsewhere"] == start + timedelta(seconds=5)  # not held by chat 42's pause


async def test_replies_through_the_channel_keep_the_chat_pace(
        fake_telegram: FakeTelegram, clock: FakeClock, turns: Turns):
    async with bot_for(fake_telegram, limiter_on(MemoryStore(), clock, turns)) as bot:
        channel = TelegramChannel(bot, CHAT)

        async def reply_twice() -> None:
            ref = await channel.send(Reply("first"))
            await channel.send(Reply("second"))
            await channel.edit(ref, Reply("first, edited"))

        await turns.run(reply_twice)
    assert gaps(fake_telegram) == [timedelta(seconds=1)]
    [edit] = fake_telegram.calls_to("editMessageText")
    assert edit.at == clock.now()
    assert clock.sleeps == [1.0, 1.0]


async def test_calls_that_are_not_messages_are_never_held(
        fake_telegram: FakeTelegram, clock: FakeClock, turns: Turns):
    async with bot_for(fake_telegram, limiter_on(MemoryStore(), clock, turns)) as bot:
        async def message_then_typing() -> None:
            await bot.send_message(CHAT, "hello")
            await bot.send_chat_action(CHAT, "typing")

        await turns.run(message_then_typing)
    assert clock.sleeps == []


async def test_the_adapters_bot_sends_everything_through_the_global_limits(
        fake_telegram: FakeTelegram, dispatcher):
    """Conversation replies, notices and support messages all use this one bot object
    (bot.runner hands `application.bot` to the deliverers)."""
    from bot.telegram.adapter import TelegramAdapter
    from core.settings import TelegramSettings

    adapter = TelegramAdapter(TelegramSettings(token=fake_telegram.token,
                                               api_base_url=fake_telegram.base_url),
                              dispatcher)
    assert isinstance(adapter.application.bot.rate_limiter, OutboundRateLimiter)
