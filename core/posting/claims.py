"""Atomic claims on queue rows (post targets, outbox messages, outcome checks): one owner at a time.

A row is claimable when it is queued and due, or when it is running under a lease that
ran out (its worker died: a crash, SIGKILL, a lost machine). Claiming sets a fresh
random `claim_token` and `lease_until`; the owner renews the lease while it works
(`heartbeat`) and every later write is conditional on the token, so a worker that lost
its claim can never overwrite the new owner's progress.

PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED`, so any number of processes claim
disjoint rows without waiting on each other. SQLite: every transaction begins
IMMEDIATE (core.db.database), so the select-and-update runs under the single writer
lock and two claims are serialised.

A rule across rows ("one post at a time per Reddit account") can't be checked against
rows another process is claiming right now: its claim is not committed, so not seen.
`lock_owners` serialises claims per owner on PostgreSQL (a transaction-scoped advisory
lock per owner id, taken in id order so two claims never wait on each other in a
circle); the caller re-checks its rule after it, when what the other claim did is
committed and visible (`recheck`).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from core.outcomes.models import PostCheck
from core.posting.models import OutboxMessage, PostTarget, State

Row = TypeVar("Row", PostTarget, OutboxMessage, PostCheck)
Claimable = type[PostTarget] | type[OutboxMessage] | type[PostCheck]


def new_token() -> str:
    return secrets.token_hex(16)


def claimable(model: Claimable, now: datetime) -> Any:
    """Queued and due, or running under an expired lease."""
    return or_(
        and_(model.state == State.QUEUED, model.not_before <= now),
        and_(model.state == State.RUNNING, model.lease_until < now),
    )


async def claim(
    session: AsyncSession,
    stmt: Select[Any],
    *,
    model: type[Row],
    now: datetime,
    lease: timedelta,
    pick: Callable[[list[Row]], Sequence[Row]] | None = None,
    recheck: Callable[[list[Row]], Awaitable[Sequence[Row]]] | None = None,
) -> tuple[str, list[Row]]:
    """Lock the `model` rows `stmt` selects (it already filters with `claimable`), keep
    those `pick` chooses and then `recheck` keeps (after `lock_owners`, say), mark them
    running under one new token. The caller commits."""
    if _postgres(session):
        stmt = stmt.with_for_update(skip_locked=True)
    rows = [row for row in await session.scalars(stmt) if isinstance(row, model)]
    chosen = list(pick(rows)) if pick is not None else rows
    if recheck is not None and chosen:
        chosen = list(await recheck(chosen))
    token = new_token()
    for row in chosen:
        row.state = State.RUNNING
        row.claim_token = token
        row.lease_until = now + lease
    await session.flush()
    return token, chosen


async def lock_owners(session: AsyncSession, kind: int, owners: Iterable[int]) -> None:
    """PostgreSQL: wait until no other transaction is claiming for any of `owners` (ids
    of one `kind`, a constant per rule), and hold them until this one ends. SQLite:
    nothing to do, its one writer already serialises claims."""
    if not _postgres(session):
        return
    for owner in sorted(set(owners)):  # one order for all: no waiting in a circle
        await session.execute(select(func.pg_advisory_xact_lock(kind, owner)))


def _postgres(session: AsyncSession) -> bool:
    return session.bind is not None and session.bind.dialect.name == "postgresql"


async def heartbeat(
    session: AsyncSession, model: Claimable, row_id: int, token: str, until: datetime
) -> bool:
    """Extend our lease; False means the claim was taken over (we were presumed dead)."""
    result = await session.execute(
        update(model)
        .where(model.id == row_id, model.claim_token == token, model.state == State.RUNNING)
        .values(lease_until=until)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def owned(session: AsyncSession, model: type[Row], row_id: int, token: str) -> Row | None:
    """The row, locked for our write, if we still hold its claim."""
    stmt = select(model).where(
        model.id == row_id, model.claim_token == token, model.state == State.RUNNING
    )
    if _postgres(session):
        stmt = stmt.with_for_update()
    row = (await session.scalars(stmt)).first()
    return row if isinstance(row, model) else None
