"""Writing to and claiming from the inbox; every call is one short transaction, or on
PostgreSQL statements that each commit on their own (`Database.autocommit`).

`record` is what a front door calls before it acknowledges an update: once it returns,
the update survives a crash. `claim` hands a consumer the next updates to process, with
per-chat order across any number of processes: only the *oldest open* update of a chat
is ever claimable, so the next one of that chat waits until this one is done, whoever
holds it. A claim is a lease: `renew` keeps it while the work runs, and a lease that ran
out (the holder was killed) makes the row claimable again: a kill -9 loses nothing,
though an update in flight at that instant is processed a second time (at least once;
its effects could not be in the same transaction as our mark anyway). Every claim has a
token of its own (`Claimed.token`), and renew, finish and `later` act only under the
row's current one: a run whose lease lapsed (its renewals failed) is told it lost the
row, even when the process that took it again is its own.

PostgreSQL claims with `FOR UPDATE SKIP LOCKED`, so processes take disjoint rows without
waiting on each other; SQLite writes one transaction at a time (core.db.database), so
its claims are serialised by the database itself.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import Clock
from core.db.database import Database
from core.db.reconnect import once_more_if_dropped
from core.inbox.models import InboundUpdate, Status
from core.inbox.statements import Statements, claimable

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # claims of one update before it is given up as poison


@dataclass(frozen=True)
class Incoming:
    """One update as a front door received it."""

    update_id: int
    chat_key: str | None
    payload: dict[str, Any]


@dataclass(frozen=True)
class Claimed:
    """A row a consumer now holds: what it needs to process it, detached from the DB."""

    id: int
    update_id: int
    chat_key: str | None
    payload: dict[str, Any]
    attempts: int
    token: str  # this claim's: what renew, finish and later must name
    retries: int = 0  # times it was handed back for another try (core.inbox.retry)

    @classmethod
    def of(cls, row: Any) -> Claimed:
        """From a claimed row (an ORM object or a RETURNING row of `RETURNED`)."""
        return cls(row.id, row.update_id, row.chat_key, row.payload, row.attempts,
                   row.claim_token, row.retries)


@dataclass(frozen=True)
class Finished:
    ours: bool  # the claim was still ours when we marked it
    successor: bool  # the chat has another update waiting: look for work now


def new_owner() -> str:
    """A consumer's name, unique per process run (a restart is a new owner): what it
    holds is given back by it (`release`)."""
    return secrets.token_hex(16)


def new_token() -> str:
    """One claim's token: a row claimed again (its lease lapsed) gets another."""
    return secrets.token_hex(16)


class Inbox:
    """The inbox of one transport's bot (transport "telegram", bot id "123456")."""

    def __init__(self, db: Database, clock: Clock, transport: str, bot_id: str) -> None:
        self.db = db
        self.clock = clock
        self.transport = transport
        self.bot_id = bot_id
        self._sql = Statements.build(db.dialect)
        self._mine = {"in_transport": transport, "in_bot": bot_id}

    @property
    def channel(self) -> str:
        """The PostgreSQL NOTIFY channel that announces new updates of this inbox."""
        name = f"inbox_{self.transport}_{self.bot_id}".lower()
        return "".join(c if c.isalnum() or c == "_" else "_" for c in name)[:63]

    async def record(self, *updates: Incoming, notify: bool = False) -> int:
        """Commit the updates not seen before; returns how many were new. `notify`
        (PostgreSQL): announce them on `channel`, for consumers in other processes (a
        web-only process records, a bot process consumes)."""
        if not updates:
            return 0
        now = self.clock.now()
        rows = [self._row(u, now) for u in updates]
        notify = notify and self.db.dialect == "postgresql"
        stmt = self._sql.record_and_notify if notify else self._sql.record
        extra = {"channel": self.channel} if notify else {}
        if len(rows) == 1:
            return await self._mark(stmt, {**rows[0], **extra})
        return await self._mark(stmt.values(rows), extra)

    async def record_and_claim(self, update: Incoming, owner: str, lease: timedelta
                               ) -> tuple[int, Claimed | None]:
        """Record one update, claimed for `owner` in the same statement if it is its
        chat's oldest open one: a process with room takes what it received without a
        claim of its own. Returns (1 if new else 0, the claimed row or None).

        Order, as for every claim, rests on an older update of the chat being visible
        by then: Telegram sends one chat's webhook updates one at a time (the next after
        the last was answered, and we answer after our commit)."""
        now = self.clock.now()
        token = new_token()
        params = {**self._row(update, now), "owner": owner, "token": token,
                  "until": now + lease}
        async with self.db.autocommit() as conn:  # one statement: no transaction (PG)
            row = (await conn.execute(self._sql.record_taken, params)).first()
        if row is None:
            return 0, None
        if row.status == Status.RUNNING:
            return 1, Claimed(row.id, update.update_id, update.chat_key, update.payload,
                              attempts=1, token=token)
        if update.chat_key is None or self.db.dialect != "postgresql":
            return 1, None
        # The chat's update ahead may be finishing right now, its done mark not yet
        # committed: wait that out on its row lock, then look again. The record has
        # committed by now, so a failure here only leaves it pending for a consumer
        # (the caller wakes its own), never unacknowledged.
        try:
            async with self.db.autocommit() as conn:
                await conn.execute(self._sql.lock_older, {
                    **self._mine, "chat_key": update.chat_key,
                    "update_id": update.update_id})
                taken = (await conn.execute(self._sql.claim_new, {
                    **self._mine, "row_id": row.id, "now": now, "owner": owner,
                    "token": token, "until": now + lease})).first()
        except (SQLAlchemyError, OSError):
            log.warning("update %s recorded; taking it at once failed", update.update_id,
                        exc_info=True)
            return 1, None
        return 1, None if taken is None else Claimed.of(taken)

    def _row(self, update: Incoming, now: datetime) -> dict[str, Any]:
        """`update` as a new, pending inbox row."""
        return {"transport": self.transport, "bot_id": self.bot_id,
                "update_id": update.update_id, "chat_key": update.chat_key,
                "payload": update.payload, "status": Status.PENDING, "received_at": now,
                "attempts": 0}

    async def has_work(self) -> bool:
        """A read-only look, so an idle consumer's polling never takes the write lock."""
        stmt = select(InboundUpdate.id).where(claimable()).limit(1)
        async with self.db.read() as session:
            found = await session.scalar(stmt, {**self._mine, "now": self.clock.now()})
        return found is not None

    async def claim(self, owner: str, limit: int, lease: timedelta) -> list[Claimed]:
        """Take up to `limit` claimable updates (oldest first, at most one per chat).

        Updates claimed more than MAX_ATTEMPTS times are marked failed instead: an
        update that kills its process every time must not stop the bot for good.
        """
        if self.db.dialect == "postgresql":
            return await self._claim_at_once(owner, limit, lease)
        now, token = self.clock.now(), new_token()
        stmt = select(InboundUpdate).where(claimable()).order_by(InboundUpdate.id)
        params = {**self._mine, "now": now}
        claimed: list[Claimed] = []
        async with self.db.session() as session:
            gave_up = True
            while gave_up:  # a given-up update frees its chat's next one: look again
                gave_up = False
                for row in await session.scalars(stmt.limit(limit - len(claimed)), params):
                    row.attempts += 1
                    if row.attempts > MAX_ATTEMPTS:
                        self._give_up_log(row.update_id)
                        row.status, row.processed_at = Status.FAILED, now
                        row.claimed_by = row.claim_token = row.lease_until = None
                        gave_up = True
                        continue
                    row.status, row.claimed_by = Status.RUNNING, owner
                    row.claim_token, row.lease_until = token, now + lease
                    claimed.append(Claimed.of(row))
                await session.flush()
                gave_up = gave_up and len(claimed) < limit
        return claimed

    async def _claim_at_once(self, owner: str, limit: int, lease: timedelta) -> list[Claimed]:
        """PostgreSQL: pick (FOR UPDATE SKIP LOCKED) and take in one UPDATE ... RETURNING,
        one round trip instead of a select and an update; poison updates as in `claim`."""
        now = self.clock.now()
        claimed: list[Claimed] = []
        params = {**self._mine, "now": now, "owner": owner, "token": new_token(),
                  "until": now + lease}
        # each statement stands alone: a claim that commits without the give-up after
        # it leaves the poison rows claimed, to be given up when their lease runs out;
        # what it claimed besides is returned all the same (committed, so ours to run:
        # raising here would leave it claimed, neither run nor renewed, for a lease)
        async with self.db.autocommit() as conn:
            while len(claimed) < limit:
                taken = (await conn.execute(
                    self._sql.claim, {**params, "limit": limit - len(claimed)})).all()
                poison = [t.id for t in taken if t.attempts > MAX_ATTEMPTS]
                claimed += [Claimed.of(t) for t in taken if t.attempts <= MAX_ATTEMPTS]
                if not poison:
                    break
                for t in taken:
                    if t.attempts > MAX_ATTEMPTS:
                        self._give_up_log(t.update_id)
                try:  # a given-up update frees its chat's next one
                    await conn.execute(self._sql.give_up, {"ids": poison, "now": now})
                except (SQLAlchemyError, OSError):
                    if not claimed:
                        raise
                    log.warning("could not give up %d update(s); they lapse and are "
                                "given up later", len(poison), exc_info=True)
                    break
        return sorted(claimed, key=lambda c: c.id)

    def _give_up_log(self, update_id: int) -> None:
        log.error("update %s of %s was claimed %d times without finishing; giving it up",
                  update_id, self.transport, MAX_ATTEMPTS)

    async def renew(self, lease: timedelta, held: Mapping[int, str]) -> set[int]:
        """Extend the leases on the rows `held` (row id: its claim's token) that are
        still being processed (one statement); returns those whose claims were lost
        (their lease had lapsed and they were claimed again, here or elsewhere): no
        longer ours to renew or mark. Only the rows in hand: a row left claimed because
        its mark failed must lapse, so it is processed again, however busy its owner
        stays with others."""
        if not held:
            return set()
        params = {"ids": list(held), "tokens": sorted(set(held.values())),
                  "until": self.clock.now() + lease}

        async def write() -> set[int]:
            async with self.db.autocommit() as conn:
                return set((await conn.execute(self._sql.renew, params)).scalars())

        return set(held) - await once_more_if_dropped(write)

    async def finish(self, row_id: int, token: str, status: str = Status.DONE,
                     chat_key: str | None = None) -> Finished:
        """Mark the update claimed under `token` done (or failed), and say whether its
        chat (`chat_key`) has another update waiting; `ours` is False if that claim was
        taken over (its lease lapsed and the row was claimed again). Both on
        one connection; the mark is tried once more if that connection had been dropped
        (see `_mark`: a first try that committed but whose answer was lost then reads
        as taken over, never as a repeat)."""
        params = {"row_id": row_id, "token": token, "new_status": status,
                  "now": self.clock.now()}

        async def mark() -> Finished:
            async with self.db.autocommit() as conn:
                ours = (await conn.execute(self._sql.finish, params)).first() is not None
                return Finished(ours, await self._successor(conn, chat_key, row_id))

        return await once_more_if_dropped(mark)

    async def _successor(self, conn: AsyncConnection, chat_key: str | None,
                         row_id: int) -> bool:
        """Whether chat `chat_key` has an update waiting besides `row_id`: its own
        statement, so its own snapshot (see `statements._waiting`). A look that fails
        says "look": a needless claim costs less than a chat left for the poll. (The
        mark before it has committed already on PostgreSQL, in autocommit; on SQLite it
        shares the look's write transaction, where a read does not fail short of a
        broken file.)"""
        if chat_key is None:
            return False
        try:
            return bool((await conn.execute(self._sql.waiting, {
                **self._mine, "chat_key": chat_key, "row_id": row_id})).scalar())
        except (SQLAlchemyError, OSError):
            log.warning("could not look for the next update of a chat", exc_info=True)
            return True

    async def later(self, row_id: int, token: str, after: timedelta) -> bool:
        """Give the update claimed under `token` back to be processed again `after` from
        now (the handler asked: e.g. the connection pool was exhausted). It stays open,
        so its chat's next updates keep waiting; the try is not counted as an attempt
        but as a retry (`Claimed.retries`: core.inbox.retry ends them)."""
        return bool(await self._mark(self._sql.later, {
            "row_id": row_id, "token": token, "until": self.clock.now() + after}))

    async def _mark(self, stmt: Any, params: dict[str, Any]) -> int:
        """Run one of the inbox's idempotent writes in its own transaction, once more if
        its pooled connection had been dropped (core.db.reconnect): a finished update
        left claimed would be processed twice. Returns the rows it returned (an INSERT
        ... RETURNING), else the rows it changed."""
        async def write() -> int:
            async with self.db.autocommit() as conn:
                result = await conn.execute(stmt, params)
                return len(result.all()) if result.returns_rows else result.rowcount

        return await once_more_if_dropped(write)

    async def release(self, owner: str) -> int:
        """Give back every update `owner` still holds, unprocessed (a clean stop).

        Their claim is not counted as an attempt: they were never tried to the end.
        """
        async with self.db.session() as session:
            result = await session.execute(
                update(InboundUpdate)
                .where(InboundUpdate.claimed_by == owner, InboundUpdate.status == Status.RUNNING)
                .values(status=Status.PENDING, claimed_by=None, claim_token=None,
                        lease_until=None, attempts=InboundUpdate.attempts - 1))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def prune(self, older_than: timedelta) -> int:
        """Forget finished updates received before `older_than` ago.

        Kept long enough to recognise any redelivery (Telegram gives up within a day).
        """
        cutoff = self.clock.now() - older_than
        async with self.db.session() as session:
            result = await session.execute(
                delete(InboundUpdate)
                .where(InboundUpdate.transport == self.transport,
                       InboundUpdate.bot_id == self.bot_id,
                       InboundUpdate.status.in_((Status.DONE, Status.FAILED)),
                       InboundUpdate.received_at < cutoff))
        return int(result.rowcount)  # type: ignore[attr-defined]
