"""A 429's retry-after: the send waits that long, tries again, and the pause holds for
every sender of that chat (every process, when they share Redis)."""

from __future__ import annotations

import pytest

from core.outbound import OutboundLimiter, Window
from tests.fakes.clock import FakeClock
from tests.fakes.flood import FloodWait, Server, wait_of

BOT = Window("bot", 30, 1.0, pausable=False)
CHAT = Window("chat:42", 1, 1.0)


async def test_a_flood_wait_is_waited_out_then_the_message_goes_once(
        limiter: OutboundLimiter, clock: FakeClock):
    server = Server(clock, 5.0)
    start = clock.monotonic()
    assert await limiter.send([BOT, CHAT], server.send, wait_of) == "sent"
    assert server.accepted == [pytest.approx(start + 5.0)]
    assert clock.sleeps == [pytest.approx(5.0)]


async def test_the_pause_holds_the_chat_for_another_process(
        two_limiters: tuple[OutboundLimiter, OutboundLimiter], clock: FakeClock):
    first, second = two_limiters
    await first.pause([BOT, CHAT], 7.0)
    assert await second.acquire([BOT, CHAT]) == pytest.approx(7.0)


async def test_the_pause_does_not_hold_the_bot_or_other_chats(
        limiter: OutboundLimiter):
    await limiter.pause([BOT, CHAT], 7.0)
    assert await limiter.acquire([BOT, Window("chat:43", 1, 1.0)]) == 0.0


async def test_flood_waits_beyond_the_retries_reach_the_caller(make_store, clock: FakeClock):
    limiter = OutboundLimiter(make_store(), clock, retries=2)
    server = Server(clock, 1.0, 1.0, 1.0)
    with pytest.raises(FloodWait):
        await limiter.send([CHAT], server.send, wait_of)
    assert server.accepted == []


async def test_a_flood_wait_longer_than_the_cap_reaches_the_caller_at_once(
        make_store, clock: FakeClock):
    limiter = OutboundLimiter(make_store(), clock, max_wait=30.0)
    with pytest.raises(FloodWait):
        await limiter.send([CHAT], Server(clock, 300.0).send, wait_of)
    assert clock.sleeps == []


async def test_other_errors_are_not_retried(limiter: OutboundLimiter):
    calls = []

    async def broken() -> None:
        calls.append(1)
        raise ValueError("bad request")

    with pytest.raises(ValueError):
        await limiter.send([CHAT], broken, wait_of)
    assert calls == [1]


async def test_with_limits_off_a_flood_wait_is_still_honoured(clock: FakeClock):
    server = Server(clock, 4.0)
    assert await OutboundLimiter(None, clock).send([CHAT], server.send, wait_of) == "sent"
    assert clock.sleeps == [4.0]
