"""Limiters on a fake clock, over each store: memory, and the real Redis when
THOTTOPILOT_TEST_REDIS_URL is set. `two_limiters` are two processes' limiters sharing
one budget (one memory store within a process; two clients of one Redis)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from core.outbound import OutboundLimiter
from core.outbound.store import MemoryStore, RedisStore, WindowStore
from tests.fakes.clock import FakeClock

MakeStore = Callable[[], WindowStore]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(autojump=True)  # a sleep moves time by what it slept


@pytest.fixture(params=["memory", "redis"])
async def make_store(request: pytest.FixtureRequest) -> AsyncIterator[MakeStore]:
    made: list[WindowStore] = []
    if request.param == "memory":
        shared = MemoryStore()

        def memory() -> WindowStore:
            return shared

        yield memory
        return
    section = request.getfixturevalue("redis_section")

    def redis() -> WindowStore:
        store = RedisStore(section["url"], section["key_prefix"])
        made.append(store)
        return store

    yield redis
    for store in made:
        await store.aclose()


@pytest.fixture
def limiter(make_store: MakeStore, clock: FakeClock) -> OutboundLimiter:
    return OutboundLimiter(make_store(), clock)


@pytest.fixture
def two_limiters(make_store: MakeStore, clock: FakeClock
                 ) -> tuple[OutboundLimiter, OutboundLimiter]:
    return OutboundLimiter(make_store(), clock), OutboundLimiter(make_store(), clock)
