"""The once-per-deploy claim on registering the Telegram webhook.

N processes of one deploy start together and each would call setWebhook (and
setMyCommands) with the same arguments; Telegram rate-limits those calls, and the
last writer wins anyway. So the first process to insert a `job_claims` row keyed by
the deploy registers, and the others skip it. The key is a digest of what the
registration says (bot id, webhook URL, secret, allowed update types) and of the
version being deployed, so a new URL, a rotated secret or a new release registers
again, while restarting a process of the same deploy does not. A registration forgets
the bot's other keys (`finish`), so going back to an earlier setup registers it again.
The cost: in a rolling deploy, an old process that restarts after the new ones
registered takes the webhook back to the old setup, until the next new process starts.

A process that finds the claim held but not finished keeps watching it while it runs
(`bot.telegram.webhook.until_registered`): once finished it stops; once abandoned it
takes it over and registers, so a holder killed during setWebhook cannot leave the
deploy unregistered until some process happens to restart.

The row's primary key makes the claim atomic on both databases: PostgreSQL's unique
index lets one INSERT win, SQLite's single writer does the same. A claim whose
holder died before finishing (claimed, never finished, older than `ABANDONED`) is
taken over by a conditional UPDATE, which again only one process wins. Switching the
bot to polling deletes the webhook and forgets these claims (`forget`), so coming
back to webhook mode registers again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import ColumnElement, delete, update
from sqlalchemy.exc import IntegrityError

from core.analytics.models import JobClaim
from core.clock import Clock
from core.db.database import Database

ABANDONED = timedelta(seconds=60)  # a claim this old and unfinished lost its holder


def claim_name(bot_id: str) -> str:
    return f"telegram.webhook:{bot_id}"


def deploy_key(bot_id: str, url: str, secret: str, version: str,
               allowed_updates: Iterable[str]) -> str:
    """What makes two registrations the same; 32 hex digits (the secret stays hidden)."""
    parts = [bot_id, url, secret, version, ",".join(sorted(allowed_updates))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


class WebhookClaims:
    def __init__(self, db: Database, clock: Clock, bot_id: str, key: str) -> None:
        self._db, self._clock = db, clock
        self._name, self._key = claim_name(bot_id), key

    def _row(self) -> ColumnElement[bool]:
        return (JobClaim.name == self._name) & (JobClaim.period == self._key)

    async def claim(self) -> bool:
        """True for the one process of this deploy that should register."""
        now = self._clock.now()
        try:
            async with self._db.session() as session:
                session.add(JobClaim(name=self._name, period=self._key, claimed_at=now,
                                     result={}))
            return True
        except IntegrityError:
            pass
        async with self._db.session() as session:  # taken over only if abandoned
            result = await session.execute(
                update(JobClaim).where(self._row(), JobClaim.finished_at.is_(None),
                                       JobClaim.claimed_at < now - ABANDONED)
                .values(claimed_at=now))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def finished(self) -> bool:
        """Whether this deploy's registration is done (by any process)."""
        async with self._db.read() as session:
            row = await session.get(JobClaim, (self._name, self._key))
            return row is not None and row.finished_at is not None

    async def finish(self) -> None:
        """Registered: this key is what Telegram now holds, so every other key of this
        bot is forgotten; going back to one of them (a rollback, a secret rotated back)
        is then a new registration, not one that already happened."""
        async with self._db.session() as session:
            await session.execute(update(JobClaim).where(self._row())
                                  .values(finished_at=self._clock.now(),
                                          result={"registered": True}))
            await session.execute(delete(JobClaim).where(
                JobClaim.name == self._name, JobClaim.period != self._key))

    async def give_back(self) -> None:
        """Registration failed: let the next attempt (any process) claim again."""
        async with self._db.session() as session:
            await session.execute(delete(JobClaim).where(self._row(),
                                                         JobClaim.finished_at.is_(None)))


async def forget(db: Database, bot_id: str) -> None:
    """The webhook was deleted (polling mode): the next webhook deploy registers."""
    async with db.session() as session:
        await session.execute(delete(JobClaim).where(JobClaim.name == claim_name(bot_id)))
