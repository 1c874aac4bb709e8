"""A clock tests can move by hand; always timezone-aware UTC.

Time moves only when a test says so (`advance`), which wakes every `sleep` and fires
every `timeout` whose moment has come. With `autojump=True` a `sleep` instead moves
the clock itself by the time slept and returns at once: code that backs off and
retries then runs its whole story instantly, while a deadline set with `timeout` still
fires only when time really passes it (a test advancing, or another task's sleep).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

# (when, on monotonic time; how to wake it; the task that waits)
_Waiter = tuple[float, Callable[[], None], "asyncio.Task[object] | None"]


class FakeClock:
    def __init__(self, start: datetime | None = None, *, autojump: bool = False) -> None:
        self._now = start or datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
        self._monotonic = 1000.0
        self.autojump = autojump
        self.sleeps: list[float] = []  # every sleep asked for, in order
        self._waiters: list[_Waiter] = []
        self._added = asyncio.Event()  # set whenever a sleep or timeout starts waiting

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, delta: timedelta) -> datetime:
        """Move wall and monotonic time forward together; wake whoever is due."""
        seconds = delta.total_seconds()
        if seconds < 0:
            raise ValueError("FakeClock only moves forward; use set() for the wall clock")
        self._now += delta
        self._monotonic += seconds
        self._wake()
        return self._now

    def set(self, when: datetime) -> None:
        """Jump the wall clock only, as NTP would: monotonic time does not move."""
        if when.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = when

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.autojump and seconds > 0:
            self.advance(timedelta(seconds=seconds))
        if seconds <= 0 or self.autojump:
            await asyncio.sleep(0)  # still a suspension point, as a real sleep is
            return
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def wake() -> None:
            if not woken.done():
                woken.set_result(None)

        entry = self._add(seconds, wake)
        try:
            await woken
        finally:
            self._remove(entry)

    @asynccontextmanager
    async def timeout(self, seconds: float) -> AsyncIterator[asyncio.Timeout]:
        """`asyncio.timeout` whose moment is on this clock: an `asyncio.Timeout` that
        never fires by itself is rescheduled to 'now' when fake time passes it."""
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(None) as bound:
            entry = self._add(seconds, lambda: bound.reschedule(loop.time()))
            if seconds <= 0:
                bound.reschedule(loop.time())
            try:
                yield bound
            finally:
                self._remove(entry)

    async def parked(self, task: asyncio.Task[object]) -> None:
        """Return once `task` waits on this clock (a sleep or a timeout): a background
        loop is idle, so an `advance` now reaches its wait (one made while it was still
        busy would have passed it by). Callers bound this with a ceiling."""
        while not any(w[2] is task for w in self._waiters):
            if task.done():
                task.result()  # its error, rather than waiting for ever
                raise AssertionError(f"{task.get_name()} ended without waiting")
            self._added.clear()
            waiting = asyncio.ensure_future(self._added.wait())
            await asyncio.wait({waiting, task}, return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()

    def _add(self, seconds: float, wake: Callable[[], None]) -> _Waiter:
        entry = (self._monotonic + seconds, wake, asyncio.current_task())
        self._waiters.append(entry)
        self._added.set()
        return entry

    def _remove(self, entry: _Waiter) -> None:
        if entry in self._waiters:
            self._waiters.remove(entry)

    def _wake(self) -> None:
        due = [w for w in self._waiters if w[0] <= self._monotonic]
        for entry in due:
            self._remove(entry)
            entry[1]()
