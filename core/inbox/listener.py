"""Wake-ups across processes: PostgreSQL LISTEN on an inbox's channel.

A consumer learns of new work three ways: its own front door recorded it (`wake()`),
an update of its own finished (it looks again), or its next look every few seconds.
When roles are split, the process that records (`serve --role web`: the webhook route)
has no consumer, and the one that consumes (`--role bot`) would only notice on its next
look, seconds later. So a recorder without a consumer announces new updates with
NOTIFY in the INSERT's own round trip (core.inbox.store), and every consumer on
PostgreSQL keeps one connection LISTENing and wakes when told. SQLite is one process's
database: nothing to listen to.

The connection is its own (not from the pool: a LISTEN lives as long as its session);
when the server drops it, it is opened again with backoff on the injected clock, and the
periodic look covers the gap.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import make_url

from core.background import in_background
from core.clock import Clock
from core.retry import Backoff

log = logging.getLogger(__name__)

RECONNECT = Backoff(base=1.0, cap=30.0)
_jitter = random.Random()  # noqa: S311 - jitter, not security


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def listening(url: str, channel: str, wake: Callable[[], None], clock: Clock
                    ) -> AsyncIterator[None]:
    """Call `wake()` whenever `channel` is notified, until the block ends."""
    async with in_background(_listen(_dsn(url), channel, wake, clock), f"listen-{channel}"):
        yield


async def _listen(dsn: str, channel: str, wake: Callable[[], None], clock: Clock) -> None:
    import asyncpg  # the driver the PostgreSQL engine uses

    failures = 0
    while True:
        try:
            conn = await asyncpg.connect(dsn)
        except (OSError, asyncpg.PostgresError) as exc:
            delay = RECONNECT.delay(failures, _jitter)
            failures += 1
            log.warning("cannot listen for inbox updates (%s); again in %.1f s",
                        type(exc).__name__, delay)
            await clock.sleep(delay)
            continue
        failures = 0
        try:
            await _until_closed(conn, channel, wake)
            log.warning("the inbox listener's connection was closed; listening again")
        finally:
            with contextlib.suppress(Exception):
                await conn.close(timeout=5)


async def _until_closed(conn: Any, channel: str, wake: Callable[[], None]) -> None:
    """LISTEN on `conn` until the server (or the network) closes it."""
    lost = asyncio.Event()
    conn.add_termination_listener(lambda _conn: lost.set())

    def notified(*_: Any) -> None:
        wake()

    await conn.add_listener(channel, notified)
    wake()  # anything announced while we were not listening: look now
    await lost.wait()
