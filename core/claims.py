"""Heartbeats for claimed work that must run once (a chat's posting run).

A run claims its work by committing a marker (for /post: the step POSTING), then
*beats* while it works: every `BEAT_EVERY` it touches the claim's timestamp in its own
short transaction. Whoever finds the marker asks `is_stale`: no beat for `STALE_AFTER`
means the owner died (a crash, kill -9, a lost machine), so the creator can cancel or
retry within seconds, instead of waiting out a fixed timeout long enough for the
slowest upload. A live owner keeps beating while it waits on Reddit, however long, so
it is never taken over for being slow; and a takeover still cannot post twice, because
every target is marked *attempted* (committed) before its submit and an attempted
target is looked up on Reddit before it is submitted again.

Kept small and free of chat concepts so the posting scheduler can reuse it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, update

from core.background import in_background
from core.clock import Clock
from core.db.database import Database
from core.db.models import ConversationState

log = logging.getLogger(__name__)

BEAT_EVERY = timedelta(seconds=5)
STALE_AFTER = timedelta(seconds=20)  # four missed beats: a dead owner, not a slow one


def is_stale(last_beat: datetime, now: datetime, stale_after: timedelta = STALE_AFTER) -> bool:
    """Whether a claim whose last beat was at `last_beat` has been abandoned."""
    return now - last_beat > stale_after


async def touch_conversation(db: Database, row_id: int, now: datetime) -> None:
    """One beat for a claim held in a conversation row: its `updated_at` moves on.

    A Core UPDATE of that one column, so the row's optimistic-lock `version` is left
    alone: the run's own next commit (with its loaded version) still goes through.
    """
    table = cast(Table, ConversationState.__table__)
    async with db.session() as session:
        await session.execute(
            update(table).where(table.c.id == row_id).values(updated_at=now))


@asynccontextmanager
async def heartbeat(
    beat: Callable[[], Awaitable[object]], clock: Clock, every: timedelta = BEAT_EVERY
) -> AsyncIterator[None]:
    """Call `beat` every `every` (on `clock`) while the block runs.

    A beat that fails (the database briefly locked) is logged and the next one tried:
    missing one beat is harmless, it takes several to look stale.
    """

    async def loop() -> None:
        while True:
            await clock.sleep(every.total_seconds())
            try:
                await beat()
            except Exception:
                log.warning("heartbeat failed; trying again in %s", every, exc_info=True)

    async with in_background(loop(), "claim-heartbeat"):
        yield


def conversation_heartbeat(db: Database, row_id: int, clock: Clock
                           ) -> AbstractAsyncContextManager[None]:
    """`heartbeat` for a claim held in conversation row `row_id` (`touch_conversation`)."""
    return heartbeat(lambda: touch_conversation(db, row_id, clock.now()), clock)
