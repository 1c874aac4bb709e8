"""A message waits until every window it counts against has room, never longer."""

from __future__ import annotations

import pytest

from core.outbound import OutboundLimiter, Window, telegram_windows
from core.settings import OutboundSettings
from tests.fakes.clock import FakeClock

CHAT = [Window("chat:42", 1, 1.0)]


async def test_a_first_message_goes_at_once(limiter: OutboundLimiter, clock: FakeClock):
    assert await limiter.acquire(CHAT) == 0.0
    assert clock.sleeps == []


async def test_a_second_message_to_a_chat_waits_until_the_first_leaves_its_window(
        limiter: OutboundLimiter, clock: FakeClock):
    await limiter.acquire(CHAT)
    assert await limiter.acquire(CHAT) == pytest.approx(1.0)
    assert clock.sleeps == [pytest.approx(1.0)]


async def test_the_wait_counts_only_what_is_left_of_the_window(
        limiter: OutboundLimiter, clock: FakeClock):
    from datetime import timedelta

    await limiter.acquire(CHAT)
    clock.advance(timedelta(seconds=0.75))
    assert await limiter.acquire(CHAT) == pytest.approx(0.25)


async def test_another_chat_does_not_wait_for_this_one(limiter: OutboundLimiter):
    await limiter.acquire(CHAT)
    assert await limiter.acquire([Window("chat:43", 1, 1.0)]) == 0.0


async def test_the_bot_wide_window_holds_the_31st_message_of_a_second(
        limiter: OutboundLimiter):
    settings = OutboundSettings()
    for chat in range(30):
        assert await limiter.acquire(telegram_windows(settings, "7", chat)) == 0.0
    assert await limiter.acquire(telegram_windows(settings, "7", 99)) == pytest.approx(1.0)


async def test_a_group_gets_20_messages_a_minute(limiter: OutboundLimiter):
    settings = OutboundSettings()
    sent_at, now = [], 0.0
    for _ in range(21):
        now += await limiter.acquire(telegram_windows(settings, "7", -100))
        sent_at.append(now)
    # the chat's pace (3 in any 3 s) sends the first 20 within 18 s...
    assert sent_at[19] == pytest.approx(18.0)
    # ...and the 21st waits until the first is a minute old
    assert sent_at[20] == pytest.approx(60.0)


async def test_a_private_chat_gets_a_short_burst_then_one_a_second(
        limiter: OutboundLimiter):
    settings = OutboundSettings()
    waits = [await limiter.acquire(telegram_windows(settings, "7", 42)) for _ in range(6)]
    assert waits == [0.0, 0.0, 0.0, pytest.approx(3.0), 0.0, 0.0]


async def test_two_processes_share_one_budget(
        two_limiters: tuple[OutboundLimiter, OutboundLimiter]):
    first, second = two_limiters
    await first.acquire(CHAT)
    assert await second.acquire(CHAT) == pytest.approx(1.0)


async def test_a_wait_past_the_cap_sends_anyway(make_store, clock: FakeClock):
    limiter = OutboundLimiter(make_store(), clock, max_wait=5.0)
    slow = [Window("group:-1", 1, 60.0)]
    await limiter.acquire(slow)
    assert await limiter.acquire(slow) == pytest.approx(5.0)


async def test_limits_switched_off_never_wait(clock: FakeClock):
    limiter = OutboundLimiter(None, clock)
    for _ in range(5):
        assert await limiter.acquire(CHAT) == 0.0
    assert clock.sleeps == []


async def test_memory_forgets_idle_chats_but_not_busy_ones(clock: FakeClock):
    from datetime import timedelta

    from core.outbound.store import PRUNE_AT, MemoryStore

    store = MemoryStore()
    limiter = OutboundLimiter(store, clock)
    for chat in range(PRUNE_AT):
        await limiter.acquire([Window(f"idle:{chat}", 1, 1.0)])
    clock.advance(timedelta(seconds=2))
    busy = [Window("busy", 1, 50.0)]
    await limiter.acquire(busy)
    for chat in range(2):  # past the threshold: the idle windows are dropped
        await limiter.acquire([Window(f"new:{chat}", 1, 1.0)])
    assert len(store._sent) < PRUNE_AT
    assert await limiter.acquire(busy) == pytest.approx(50.0)  # still counted


async def test_a_wall_clock_stepped_back_does_not_hold_this_processs_messages():
    from datetime import timedelta

    from core.outbound.store import MemoryStore

    clock = FakeClock(autojump=True)
    limiter = OutboundLimiter(MemoryStore(), clock)
    await limiter.acquire(CHAT)
    clock.set(clock.now() - timedelta(hours=1))  # NTP steps the wall clock back
    clock.advance(timedelta(seconds=1))
    assert await limiter.acquire(CHAT) == 0.0
