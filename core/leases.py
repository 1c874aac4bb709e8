"""One holder at a time, across processes, for work that must never run twice at once.

A chat platform's listening session is such work: Discord hands every interaction to
every gateway session of a bot (two processes would both answer), and Telegram answers
a second getUpdates with 409 Conflict. Any number of processes may stand by; one holds.

The lease is a `job_claims` row (name = "lease:<what>", period = "holder") whose
`claimed_at` is the holder's last beat. The holder beats every `beat`; a row left
unbeaten for `stale` belongs to a dead process, and standbys take it over by a
compare-and-set on that timestamp, so exactly one of them wins. Beats are the same
compare-and-set: a holder whose beat no longer matches was taken over and must stop.
A holder that cannot reach the database stops on its own once half of `stale` has
passed without a beat, well before anyone may take over. That time is measured on the
monotonic clock when a beat has failed, not when it began: a beat can hang (a dead TCP
connection) for longer than `stale`, so each beat is also cut one beat before a standby
may take over.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.exc import IntegrityError

from core.analytics.models import JobClaim
from core.clock import Clock
from core.db.database import Database

log = logging.getLogger(__name__)

BEAT = timedelta(seconds=5)
STALE = timedelta(seconds=20)  # four missed beats: a dead holder, not a slow one
PERIOD = "holder"


class Lease:
    def __init__(self, db: Database, clock: Clock, what: str, *, beat: timedelta = BEAT,
                 stale: timedelta = STALE) -> None:
        self._db, self._clock = db, clock
        self.name = f"lease:{what}"[:64]
        self.beat, self.stale = beat, stale
        self.owner = secrets.token_hex(8)
        self._last: datetime | None = None  # our last beat that landed, while we hold
        self._last_at = 0.0  # when that beat began, on the monotonic clock

    @property
    def held(self) -> bool:
        return self._last is not None

    def _row(self) -> ColumnElement[bool]:
        return (JobClaim.name == self.name) & (JobClaim.period == PERIOD)

    async def take(self) -> bool:
        """Become the holder if nobody holds the lease or its holder went silent."""
        now, at = self._clock.now(), self._clock.monotonic()
        try:
            async with self._db.session() as session:
                session.add(JobClaim(name=self.name, period=PERIOD, claimed_at=now,
                                     result={"owner": self.owner}))
        except IntegrityError:
            async with self._db.read() as session:
                seen = await session.scalar(select(JobClaim.claimed_at).where(self._row()))
            if seen is None or now - seen <= self.stale:
                return False  # held (or just given back: the next look takes it)
            if not await self._swap(seen, now):
                return False  # another standby was quicker
        self._last, self._last_at = now, at
        return True

    async def renew(self) -> bool:
        """One beat; False once the lease is no longer ours (stop the work now).

        A beat that cannot be written is not a loss yet, unless we have been unable to
        beat for half of `stale`: then we stop before a standby may take over. "Unable
        for" is read on the clock once the beat has failed: a beat that hung and then
        failed may have taken longer than `stale`, and a standby may hold the lease by
        now. For the same reason a beat is cut when it would end later than one beat
        before a standby may take over (`stale` after our last stamp). A beat that is
        only slow and lands is a beat: the next one is tried in full.
        """
        if self._last is None:
            return False
        now, at = self._clock.now(), self._clock.monotonic()
        left = (self.stale - self.beat).total_seconds() - (at - self._last_at)
        try:
            async with self._clock.timeout(left):
                swapped = await self._swap(self._last, now)
            if swapped:
                self._last, self._last_at = now, at
                return True
            log.warning("%s was taken over by another process", self.name)
        except Exception:  # TimeoutError too: the beat hung until we must stop
            if self._clock.monotonic() - self._last_at < self.stale.total_seconds() / 2:
                log.warning("could not renew %s; trying again", self.name, exc_info=True)
                return True
            log.warning("could not renew %s for too long; letting it go", self.name)
        self._last = None
        return False

    async def release(self) -> None:
        """Give the lease up (a clean stop), so a standby takes it at its next look."""
        last, self._last = self._last, None
        if last is None:
            return
        async with self._db.session() as session:
            await session.execute(delete(JobClaim).where(
                self._row(), JobClaim.claimed_at == last))

    async def _swap(self, expected: datetime, now: datetime) -> bool:
        async with self._db.session() as session:
            result = await session.execute(
                update(JobClaim).where(self._row(), JobClaim.claimed_at == expected)
                .values(claimed_at=now, result={"owner": self.owner}))
        return bool(result.rowcount)  # type: ignore[attr-defined]
