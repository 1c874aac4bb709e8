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
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, or_, select, update
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
) -> tuple[str, list[Row]]:
    """Lock the `model` rows `stmt` selects (it already filters with `claimable`), keep
    those `pick` chooses, mark them running under one new token. The caller commits."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = [row for row in await session.scalars(stmt) if isinstance(row, model)]
    chosen = list(pick(rows)) if pick is not None else rows
    token = new_token()
    for row in chosen:
        row.state = State.RUNNING
        row.claim_token = token
        row.lease_until = now + lease
    await session.flush()
    return token, chosen


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
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = (await session.scalars(stmt)).first()
    return row if isinstance(row, model) else None
