"""Run a chat listener only while this process holds its lease (core.leases).

Several bot-role processes may run; Discord's gateway session (and Telegram polling)
must be one. Each process keeps trying to take the lease; the holder starts the
listener and beats; a standby takes over within the lease's `stale` after the holder
dies, and a holder that loses the lease stops listening. A clean stop gives the lease
back, so a standby takes over at its next look instead of after `stale`.

Holding the lease is a promise to listen. A listener can stop by itself (Discord's
login answered 5xx, Telegram gave up starting) while the process lives on, and a
holder that kept beating then would keep every standby waiting for nobody. So the
listener's block yields a question, "still listening?", asked at every beat: once
the answer is no, or entering or leaving the listener raised, the holder stops
beating and gives the lease back, pauses one beat, and looks again like any standby.
One answer is different: refused for good (the platform rejected the bot's token).
Every process has the same token, so handing the lease round would only repeat the
refusal, and its error, in each of them every few seconds; the holder keeps the lease
without listening, and says so once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from enum import Enum

from core.background import in_background
from core.clock import Clock
from core.leases import Lease

log = logging.getLogger(__name__)



class Heard(Enum):
    """A listener's answer to "still listening?"."""

    LISTENING = "listening"
    STOPPED = "stopped"  # by itself: another process (or this one, later) may do better
    REFUSED = "refused"  # for good (a rejected token): no process can


Listening = Callable[[], Heard]
Listener = Callable[[], AbstractAsyncContextManager[Listening]]


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
                try:
                    await _hold(lease, clock, listen, what)
                except Exception:  # a listener that cannot start (or stop) is not held
                    log.exception("%s failed in this process; giving the lease up", what)
                await _release(lease, what)  # after the listener stopped, never before
            await clock.sleep(lease.beat.total_seconds())
    finally:
        await _release(lease, what)


async def _hold(lease: Lease, clock: Clock, listen: Listener, what: str) -> None:
    """Listen and beat until the lease is lost or the listener stops by itself."""
    refused = False
    async with listen() as listening:
        while True:
            await clock.sleep(lease.beat.total_seconds())
            heard = listening()
            if heard is Heard.REFUSED and not refused:
                refused = True
                log.error("%s was refused for good (check the bot's token); this process "
                          "keeps the lease so that no other tries again", what)
            elif heard is Heard.STOPPED:
                log.warning("%s stopped listening in this process; giving the lease up "
                            "so another process (or this one, later) listens", what)
                return
            if not await lease.renew():
                log.warning("%s stopped here: another process holds it now", what)
                return


async def _take(lease: Lease, what: str) -> bool:
    try:
        return await lease.take()
    except Exception:  # the database briefly unavailable: look again later
        log.warning("could not look at the %s lease", what, exc_info=True)
        return False


async def _release(lease: Lease, what: str) -> None:
    try:
        await lease.release()
    except Exception:  # it lapses by itself after `stale`
        log.warning("could not give back the %s lease", what, exc_info=True)
