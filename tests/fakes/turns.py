"""Fake time that moves only when every task under test is asleep.

`FakeClock(autojump=True)` moves the clock by each sleep as it starts, so with two
tasks the clock can run ahead while one of them is still talking to a fake server, and
a timestamp taken there is later than the moment the task decided to send. `Turns`
instead parks each sleeper until all `tasks` are asleep (or finished), then moves the
clock to the earliest wake-up and wakes exactly those due. Time therefore stands still
while anyone works: what a fake server stamps is the moment the sender chose.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from tests.fakes.clock import FakeClock


class Turns:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self._sleeping: list[tuple[float, asyncio.Future[None]]] = []
        self._running = 0
        self._changed = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        """The sleep to give the code under test (e.g. `OutboundLimiter(sleep=...)`)."""
        self.clock.sleeps.append(seconds)
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleeping.append((self.clock.monotonic() + max(seconds, 0.0), woken))
        self._changed.set()
        await woken

    async def run(self, *jobs: Callable[[], Awaitable[Any]], within: float = 60.0
                  ) -> list[Any]:
        """Run `jobs` concurrently on fake time; their results in order. `within` is a
        ceiling in real seconds for a loaded machine, not a speed assertion."""
        self._running = len(jobs)

        async def job(make: Callable[[], Awaitable[Any]]) -> Any:
            try:
                return await make()
            finally:
                self._running -= 1
                self._changed.set()

        tasks = [asyncio.create_task(job(make)) for make in jobs]
        async with asyncio.timeout(within):
            while self._running:
                self._changed.clear()
                if len(self._sleeping) < self._running:  # someone is working
                    await self._changed.wait()
                    continue
                self._wake_next()
            return list(await asyncio.gather(*tasks))

    def _wake_next(self) -> None:
        deadline = min(d for d, _ in self._sleeping)
        ahead = deadline - self.clock.monotonic()
        if ahead > 0:
            self.clock.advance(timedelta(seconds=ahead))
        due = [entry for entry in self._sleeping if entry[0] <= deadline]
        self._sleeping = [entry for entry in self._sleeping if entry[0] > deadline]
        for _, woken in due:
            woken.set_result(None)
