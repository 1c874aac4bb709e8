"""Telling creators without being asked: a notifier backed by the `outbox` table.

The scheduler runs when nobody is chatting, so what it has to say (posted with its
link, failed with the reason and a next step, paused by a rate limit, waiting for
Reddit) is written as an outbox row *in the same transaction* as the fact it reports:
no fact without its notice, no notice without its fact. `event_key` is unique, so the
same event recorded twice (a retried transaction, two workers) is one message.

Delivery is transport-neutral: a `Deliverer` (Telegram, Discord, ...) gets a `Notice`
and says whether it reached the creator. Rows are claimed like post targets
(core.posting.claims), a transport failure is retried with backoff, and a delivered
row is marked sent under its claim token. The one window left is a crash between the
transport accepting a message and the mark: that notice is sent again, which for a
chat message is the lesser harm than losing it.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.claims import heartbeat
from core.clock import Clock
from core.db.database import Database
from core.db.models import User
from core.db.reconnect import once_more_if_dropped
from core.db.upsert import insert_for
from core.posting import claims
from core.posting.models import OutboxMessage, State
from core.retry import Backoff

log = logging.getLogger(__name__)

POSTED, FAILED, PAUSED, WAITING = "post_live", "post_failed", "post_paused", "post_waiting"
# Notices for the team rather than a creator (a /support message, core.support) go only
# to the deliverer named TEAM, and creators' notices never do; a process without that
# deliverer leaves team notices queued for one that has it.
TEAM, TEAM_PREFIX = "team", "team_"
MAX_ATTEMPTS = 30  # with the backoff cap, about a day of trying


@dataclass(frozen=True)
class Notice:
    id: int
    user_id: int
    kind: str
    payload: dict[str, Any]
    event_key: str
    created_at: datetime
    prefer: str | None = None  # the transport to try first (`preferred_transport`)


def preferred_transport(kind: str, user: User | None, via: str | None = None
                        ) -> str | None:
    """Which transport a notice tries first (the others follow, in `serve`'s order):
    the one the notice names (`via`: an answer goes where its question came from);
    "posted" news goes to the community the creator chose to announce in; anything
    else, personal, to the chat they last worked on a post from. A creator linked on
    several transports hears it once, from the first that reaches them."""
    if via:
        return via
    if user is None:
        return None
    if kind == POSTED and user.announce_in:
        return user.announce_in.partition(":")[0]
    return user.notify_via


class Deliverer(Protocol):
    """One chat transport's way of messaging a creator who hasn't written."""

    name: str

    async def deliver(self, notice: Notice) -> bool:
        """True: delivered. False: this transport can't reach the user (no chat with
        them). Raise for a failure worth retrying (network, 5xx, flood wait)."""
        ...


async def notify(
    session: AsyncSession, now: datetime, user_id: int, kind: str, event_key: str,
    **payload: Any,
) -> None:
    """Add a notice to the caller's transaction; a repeat of `event_key` is dropped.
    One row per route the creator wants it on (core.push.prefs): "chat" keeps
    `event_key`, "push" is `<event_key>#push`, so each route is delivered once."""
    from core.push.prefs import CHAT, routes_for

    insert = insert_for(session)
    for route in await routes_for(session, user_id, kind):
        stmt = insert(OutboxMessage).values(
            event_key=event_key if route == CHAT else f"{event_key}#{route}",
            user_id=user_id, kind=kind, payload=payload, route=route,
            state=State.QUEUED, not_before=now, attempts=0, created_at=now,
        ).on_conflict_do_nothing(index_elements=["event_key"])
        await session.execute(stmt)


BACKOFF = Backoff(base=2.0, cap=600.0)  # full jitter: failed rows don't return together
_rng = random.Random()  # noqa: S311 - jitter, not security


class Outbox:
    def __init__(self, db: Database, clock: Clock, lease: timedelta) -> None:
        self._db = db
        self._clock = clock
        self._lease = lease

    async def deliver_due(self, deliverers: list[Deliverer], limit: int = 20, *,
                          only: Any = None, route: str = "chat") -> int:
        """Deliver what is due once; returns how many rows were handled. `only` (a
        filter on OutboxMessage) narrows it, e.g. to one chat's own "Post now" run;
        `route` picks the chat rows (the default) or the push rows."""
        now = self._clock.now()
        async with self._db.session() as session:
            stmt = (select(OutboxMessage).where(claims.claimable(OutboxMessage, now),
                                                OutboxMessage.route == route)
                    .order_by(OutboxMessage.not_before, OutboxMessage.id).limit(limit))
            if only is not None:
                stmt = stmt.where(only)
            if not any(d.name == TEAM for d in deliverers):
                stmt = stmt.where(~OutboxMessage.kind.startswith(TEAM_PREFIX, autoescape=True))
            # A creator who asked to be deleted hears nothing more (a post that was
            # mid-upload at that moment still settles; its notice waits for the purge).
            stmt = stmt.where(OutboxMessage.kind.startswith(TEAM_PREFIX, autoescape=True)
                              | OutboxMessage.user_id.in_(
                                  select(User.id).where(User.deleted_at.is_(None))))
            token, rows = await claims.claim(session, stmt, now=now, lease=self._lease,
                                             model=OutboxMessage)
            users = {u.id: u for u in await session.scalars(
                select(User).where(User.id.in_({r.user_id for r in rows})))} if rows else {}
            notices = [Notice(r.id, r.user_id, r.kind, dict(r.payload), r.event_key,
                              r.created_at, preferred_transport(
                                  r.kind, users.get(r.user_id), _via(r.payload)))
                       for r in rows]
        if not notices:
            return 0
        # A send may take long (a per-chat limit waits up to a minute, a slow chat API):
        # the batch's lease is renewed while we work, so it is never taken for a dead
        # owner's and sent again by another process; a row whose claim was lost anyway
        # (renewals failing for a whole lease) is left to its new owner, unsent.
        async with heartbeat(lambda: self._renew(token), self._clock, self._lease / 3):
            for notice in notices:  # no transaction open while a transport is called
                if await self._still_ours(notice.id, token):
                    await self._deliver_one(notice, token, deliverers)
        return len(notices)

    async def _renew(self, token: str) -> None:
        """Extend the lease of every row of the batch not marked yet."""
        async with self._db.session() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.claim_token == token, OutboxMessage.state == State.RUNNING)
                .values(lease_until=self._clock.now() + self._lease))

    async def _still_ours(self, row_id: int, token: str) -> bool:
        """Renew one row's claim just before its send; False: another owner has it."""
        async with self._db.session() as session:
            return await claims.heartbeat(session, OutboxMessage, row_id, token,
                                          self._clock.now() + self._lease)

    async def _deliver_one(self, notice: Notice, token: str, deliverers: list[Deliverer]
                           ) -> None:
        via: str | None = None
        error: str | None = None
        team = notice.kind.startswith(TEAM_PREFIX)
        deliverers = [d for d in deliverers if (d.name == TEAM) == team]
        for deliverer in sorted(deliverers, key=lambda d: d.name != notice.prefer):
            try:
                if await deliverer.deliver(notice):
                    via = deliverer.name
                    break
            except Exception as exc:
                log.warning("notice %s via %s failed: %r", notice.event_key, deliverer.name,
                            exc)
                error = f"{deliverer.name}: {exc!r}"[:256]
                break  # this transport reaches the user but failed: retry it later
        now = self._clock.now()

        async def mark() -> None:  # safe to repeat: a second run finds our claim gone
            async with self._db.session() as session:
                row = await claims.owned(session, OutboxMessage, notice.id, token)
                if row is None:
                    return  # our claim was taken over (or marked): the owner decides
                row.attempts += 1
                row.claim_token = None
                row.lease_until = None
                if via is not None:
                    row.state, row.transport, row.sent_at = State.SENT, via, now
                elif error is None or row.attempts >= MAX_ATTEMPTS:
                    row.state = State.FAILED
                    row.last_error = error or "no transport reaches this user"
                else:
                    row.state = State.QUEUED
                    row.last_error = error
                    wait = max(0.5, BACKOFF.delay(row.attempts - 1, _rng))
                    row.not_before = now + timedelta(seconds=wait)

        # sent and left claimed, the notice would go out again when the lease lapsed
        await once_more_if_dropped(mark)


def _via(payload: Any) -> str | None:
    via = payload.get("via") if isinstance(payload, dict) else None
    return via if isinstance(via, str) else None
