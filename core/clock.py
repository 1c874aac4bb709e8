"""Time source. Everything asks the clock instead of calling `datetime.now()`,
`time.monotonic()` or `asyncio.sleep()`, so tests can move time forward without
sleeping and every datetime is timezone-aware UTC.

Two kinds of time: `now()` is the wall clock (it may jump, e.g. when NTP corrects it),
`monotonic()` only ever moves forward and is what durations, budgets and deadlines
are measured with. `sleep()` and `timeout()` run on the monotonic time of the same
clock, so a test that moves a fake clock also fires the waits and deadlines set on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back; only differences mean anything."""
        ...

    async def sleep(self, seconds: float) -> None: ...

    def timeout(self, seconds: float) -> AbstractAsyncContextManager[asyncio.Timeout]:
        """Like `asyncio.timeout(seconds)`, measured on this clock: the block is
        cancelled and `TimeoutError` raised once `seconds` have passed."""
        ...


class SystemClock:
    """The real clocks: wall time in UTC, `time.monotonic` (the event loop's own time)."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def timeout(self, seconds: float) -> asyncio.Timeout:
        return asyncio.timeout(seconds)


async def idle(clock: Clock, stop: asyncio.Event, seconds: float) -> None:
    """A background loop's pause: up to `seconds` on `clock`, over at once when `stop`
    is set. On the injected clock (not `asyncio.wait_for`), so a test moves a worker on
    with `FakeClock.advance` instead of waiting out its interval."""
    with contextlib.suppress(TimeoutError):
        async with clock.timeout(seconds):
            await stop.wait()
