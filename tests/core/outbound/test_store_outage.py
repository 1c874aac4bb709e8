"""Redis out of reach: messages go unthrottled (logged), they are not lost."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator

import pytest

from core.outbound import OutboundLimiter, Window
from core.outbound.store import RedisStore
from tests.fakes.clock import FakeClock
from tests.fakes.flood import Server, wait_of


@pytest.fixture
async def unreachable() -> AsyncIterator[RedisStore]:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = RedisStore(f"redis://127.0.0.1:{port}/0", "t")
    yield store
    await store.aclose()


async def test_an_unreachable_redis_lets_the_message_go(
        unreachable: RedisStore, clock: FakeClock, caplog: pytest.LogCaptureFixture):
    limiter = OutboundLimiter(unreachable, clock)
    caplog.set_level(logging.WARNING, "core.outbound.limiter")
    window = [Window("chat:1", 1, 1.0)]
    assert await limiter.acquire(window) == 0.0
    assert await limiter.acquire(window) == 0.0
    await limiter.pause(window, 5.0)
    assert "unavailable" in caplog.text


async def test_with_redis_unreachable_a_flood_wait_is_still_waited_out(
        unreachable: RedisStore, clock: FakeClock):
    server = Server(clock, 5.0)
    start = clock.monotonic()
    limiter = OutboundLimiter(unreachable, clock)
    assert await limiter.send([Window("chat:1", 1, 1.0)], server.send, wait_of) == "sent"
    assert server.accepted == [pytest.approx(start + 5.0)]
