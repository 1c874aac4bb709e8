"""Run a chat listener only while this process holds its lease (core.leases).

Several bot-role processes may run; Discord's gateway session (and Telegram polling)
must be one. Each process keeps trying to take the lease; the holder starts the
listener and beats; a standby takes over within the lease's `stale` after the holder
dies, and a holder that loses the lease stops listening. A clean stop gives the lease
back, so a standby takes over at its next look instead of after `stale`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from core.background import in_background
from core.clock import Clock
from core.leases import Lease

log = logging.getLogger(__name__)

Listener = Callable[[], AbstractAsyncContextManager[Any]]


@asynccontextmanager
async def while_leading(lease: Lease, clock: Clock, listen: Listener,
                        what: str) -> AsyncIterator[None]:
    """In the background for as long as the block runs."""
    async with in_background(_lead(lease, clock, listen, what), f"lead-{what}"):
        yield


async def _lead(lease: Lease, clock: Clock, listen: Listener, what: str) -> None:
    try:
        while True:
            if await _take(lease, what):
                log.info("%s runs in this process", what)
                async with listen():
                    while await _beat(lease, clock):
                        pass
                log.warning("%s stopped here: another process holds it now", what)
            else:
                await clock.sleep(lease.beat.total_seconds())
    finally:
        try:
            await lease.release()
        except Exception:  # it lapses by itself after `stale`
            log.warning("could not give back the %s lease", what, exc_info=True)


async def _take(lease: Lease, what: str) -> bool:
    try:
        return await lease.take()
    except Exception:  # the database briefly unavailable: look again later
        log.warning("could not look at the %s lease", what, exc_info=True)
        return False


async def _beat(lease: Lease, clock: Clock) -> bool:
    await clock.sleep(lease.beat.total_seconds())
    return await lease.renew()
