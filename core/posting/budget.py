"""The app-wide Reddit API budget, shared by every process through the database.

Reddit allows each OAuth client id about 100 requests a minute, counted across every
account using that app, so a per-process limiter would let N workers spend N times the
budget. Before a post the engine *reserves* its estimated requests in one short
transaction on the `reddit_api_budget` row (row-locked on PostgreSQL, the single
writer on SQLite); when the window is spent it gets back how long to wait instead, and
the target is simply tried again then. Rules fetches in chat and account connects
reserve from the same row first (core.reddit.budget). Reddit's own
`X-Ratelimit-Remaining` and `X-Ratelimit-Reset` headers, collected while posting, then
correct the row, so whatever else spent requests counts too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import case, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.base import UTCDateTime
from core.db.database import Database
from core.db.upsert import insert_for
from core.posting.models import ApiBudget

if TYPE_CHECKING:
    from core.bootstrap import Core

WINDOW = timedelta(seconds=60)
# Headers outside these are not Reddit's 10-minute window (garbled, or a proxy's): a
# reset decades away would hold every post, and one no clock can reach would fail.
MAX_RESET_SECONDS = 3600.0
MAX_REMAINING = 100_000.0


@dataclass
class Observed:
    """The last rate-limit headers Reddit sent during one post (collected by a
    `core.reddit.requestor.RATELIMIT_OBSERVER`)."""

    remaining: float | None = None
    reset_seconds: float | None = None
    seen: int = 0

    def __call__(self, headers: Mapping[str, str]) -> None:
        self.seen += 1
        try:
            remaining = headers.get("X-Ratelimit-Remaining") or headers.get(
                "x-ratelimit-remaining")
            reset = headers.get("X-Ratelimit-Reset") or headers.get("x-ratelimit-reset")
            if remaining is not None and reset is not None:
                left, seconds = float(remaining), float(reset)
                if 0 <= left <= MAX_REMAINING and 0 <= seconds <= MAX_RESET_SECONDS:
                    self.remaining, self.reset_seconds = left, seconds
        except ValueError:
            return  # a malformed header teaches us nothing


class ApiBudgetLedger:
    def __init__(self, db: Database, clock: Clock, client_id: str, per_minute: int) -> None:
        self._db = db
        self._clock = clock
        self.client_id = client_id
        self.per_minute = per_minute

    @classmethod
    def for_core(cls, core: Core) -> ApiBudgetLedger:
        """The one budget every Reddit caller of this installation shares (its app id)."""
        return cls(core.db, core.clock, core.settings.reddit.client_id or "default",
                   core.settings.posting.reddit_requests_per_minute)

    async def _row(self, session: AsyncSession, now: datetime) -> ApiBudget:
        values = {"client_id": self.client_id, "remaining": float(self.per_minute),
                  "reset_at": now + WINDOW, "updated_at": now}
        insert = insert_for(session)
        await session.execute(insert(ApiBudget).values(**values)
                              .on_conflict_do_nothing(index_elements=["client_id"]))
        stmt = select(ApiBudget).where(ApiBudget.client_id == self.client_id)
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        row = (await session.scalars(stmt.execution_options(populate_existing=True))).one()
        if now >= row.reset_at:  # a new window
            row.remaining = float(self.per_minute)
            row.reset_at = now + WINDOW
        return row

    async def reserve(self, cost: int, *, within: AsyncSession | None = None) -> float:
        """Take `cost` requests from the budget: 0.0 when taken, else seconds to wait.

        The common case is one conditional UPDATE (the row locks itself for its
        instant); only a missing row or a spent window takes the longer way.

        `within` is a caller's open write unit of work (a chat turn fetching rules). On
        SQLite that unit holds the one write lock, so a unit of our own would wait on
        the caller, in the same task, until the busy timeout: the reservation is made in
        it and commits with it. PostgreSQL still reserves in a transaction of its own,
        so the budget row is locked for an instant, not across the caller's work."""
        cost = min(cost, self.per_minute)
        if within is not None and within.get_bind().dialect.name == "sqlite":
            return await self._take(within, cost)
        async with self._db.session() as session:
            return await self._take(session, cost)

    async def _take(self, session: AsyncSession, cost: int) -> float:
        now = self._clock.now()
        new_window = ApiBudget.reset_at <= now
        taken = await session.execute(
            update(ApiBudget)
            .where(ApiBudget.client_id == self.client_id,
                   new_window | (ApiBudget.remaining >= cost))
            .values(remaining=case((new_window, float(self.per_minute - cost)),
                                   else_=ApiBudget.remaining - cost),
                    reset_at=case((new_window, literal(now + WINDOW, UTCDateTime())),
                                  else_=ApiBudget.reset_at),
                    updated_at=now))
        if taken.rowcount:  # type: ignore[attr-defined]
            return 0.0
        row = await self._row(session, now)
        row.updated_at = now
        if row.remaining >= cost:
            row.remaining -= cost
            return 0.0
        return max(0.05, (row.reset_at - now).total_seconds())

    async def observe(self, seen: Observed) -> None:
        """Correct the budget with what Reddit reported (it counts every process)."""
        if seen.remaining is None or seen.reset_seconds is None:
            return
        now = self._clock.now()
        reset_at = now + timedelta(seconds=seen.reset_seconds)
        async with self._db.session() as session:
            row = await self._row(session, now)
            same_window = abs((row.reset_at - reset_at).total_seconds()) < 2
            row.remaining = min(row.remaining, seen.remaining) if same_window else seen.remaining
            row.reset_at = reset_at
            row.updated_at = now
