"""Plans that must stop renewing: one a better plan replaced, or a deleted account's.

A creator on Starter who buys Pro through another subscription (Stars to Stars, card
to Stars, or the other way) would otherwise go on paying for both. When a grant makes
a paid plan live, every other renewing paid plan of theirs that ranks below the best
live one is marked `renewal = "stop"` in the same transaction (`supersede`); a deletion
marks its Stars subscriptions the same way (`stop_for_deletion`), and a restore takes
that back (`resume_after_restore`: "resume" for one already stopped).

Asking the provider is a network call, so it happens after the commit (`settle`):
Stripe sets `cancel_at_period_end` (the period paid for runs out; nothing is refunded
and nothing more is charged), Telegram gets `editUserStarSubscription`. A row is marked
"stopped" (or back to renewing) only once the provider said yes; one it refused stays
marked and the daily run asks again. Only paid sources renew; a manual grant never does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.grants import live, rank
from core.billing.models import Entitlement

if TYPE_CHECKING:
    from core.billing.providers.stars import StarsProvider
    from core.billing.providers.stripe import StripeProvider
    from core.clock import Clock
    from core.db.database import Database

log = logging.getLogger(__name__)

STOP, RESUME, STOPPED = "stop", "resume", "stopped"
SUPERSEDED, DELETED = "superseded", "deleted"  # why (data["stop_reason"])

def renews(row: Entitlement) -> bool:
    """Whether the provider bills this again unless told not to: a card subscription
    Stripe has not ended for good, or a recurring Stars subscription."""
    data = row.data or {}
    if row.source == "stripe":
        return not data.get("final")
    return row.source == "stars" and bool(data.get("recurring"))


async def supersede(session: AsyncSession, now: datetime, user_id: int) -> int:
    """Mark to stop every renewing paid plan of `user_id` below their best live one (in
    the caller's transaction, after a grant). Plans of the same rank are left alone:
    a Stars renewal is a new charge of the same subscription, and two of one tier
    happen only when two payments race past every "you already have this" check."""
    rows = [r for r in await session.scalars(select(Entitlement).where(
        Entitlement.user_id == user_id, Entitlement.source.in_(("stripe", "stars"))))
        if live(r, now)]
    if not rows:
        return 0
    best = max(rank(r.tier) for r in rows)
    marked = 0
    for row in rows:
        if rank(row.tier) < best and row.renewal is None and renews(row):
            _mark(row, now, STOP, SUPERSEDED)
            marked += 1
    return marked


async def stop_for_deletion(session: AsyncSession, now: datetime, user_id: int) -> int:
    """Mark to stop every live Stars subscription of an account being deleted (card
    plans are cancelled outright: core.privacy.plans)."""
    marked = 0
    for row in await session.scalars(select(Entitlement).where(
            Entitlement.user_id == user_id, Entitlement.source == "stars")):
        if live(row, now) and renews(row) and row.renewal is None:
            _mark(row, now, STOP, DELETED)
            marked += 1
    return marked


async def resume_after_restore(session: AsyncSession, now: datetime, user_id: int) -> int:
    """Undo `stop_for_deletion` for a restored account: a stop not yet asked is
    dropped; one Telegram already made is to be taken back ("resume")."""
    resumed = 0
    for row in await session.scalars(select(Entitlement).where(
            Entitlement.user_id == user_id, Entitlement.renewal.in_((STOP, STOPPED)))):
        if (row.data or {}).get("stop_reason") != DELETED:
            continue
        if row.renewal == STOP:
            row.renewal, row.updated_at = None, now
        elif live(row, now):
            row.renewal, row.updated_at = RESUME, now
            resumed += 1
    return resumed


def _mark(row: Entitlement, now: datetime, renewal: str, reason: str) -> None:
    row.renewal, row.updated_at = renewal, now
    row.data = {**(row.data or {}), "stop_reason": reason}


@dataclass(frozen=True)
class Settled:
    done: int = 0
    failed: int = 0  # still marked: asked again on the daily run


@dataclass(frozen=True)
class _Ask:
    id: int
    source: str
    ref: str
    renewal: str
    payer: int | None


async def settle(db: Database, clock: Clock, stripe: StripeProvider,
                 stars: StarsProvider | None, user_id: int | None = None) -> Settled:
    """Ask the providers for every marked row (of `user_id`, or everyone's), each with
    no transaction open; record each yes. Never raises for a provider's sake."""
    async with db.read() as session:
        query = select(Entitlement).where(Entitlement.renewal.in_((STOP, RESUME)))
        if user_id is not None:
            query = query.where(Entitlement.user_id == user_id)
        asks = [_Ask(r.id, r.source, r.source_ref, str(r.renewal),
                     _int((r.data or {}).get("telegram_user_id")))
                for r in await session.scalars(query.order_by(Entitlement.id))]
    done = failed = 0
    for ask in asks:
        if await _ask(ask, stripe, stars):
            async with db.session() as session:  # only if no one changed it meanwhile
                await session.execute(
                    update(Entitlement).where(Entitlement.id == ask.id,
                                              Entitlement.renewal == ask.renewal)
                    .values(renewal=STOPPED if ask.renewal == STOP else None,
                            updated_at=clock.now())
                    .execution_options(synchronize_session=False))
            done += 1
        else:
            failed += 1
    if failed:
        log.warning("%d plans not stopped or resumed yet; asked again on the daily run",
                    failed)
    return Settled(done, failed)


async def _ask(ask: _Ask, stripe: StripeProvider, stars: StarsProvider | None) -> bool:
    if ask.source == "stripe":
        if ask.renewal != STOP or not stripe.configured():
            return False
        return await stripe.stop_renewal(ask.ref)
    if stars is None or not stars.configured() or ask.payer is None:
        log.warning("stars subscription of charge %s: Telegram is not set up", ask.ref)
        return False
    return await stars.set_renewing(ask.payer, ask.ref, renewing=ask.renewal == RESUME)


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, str | int) and str(value).isdigit() else None
