"""Tier grants: payments turn into `entitlements` rows, and rows into `users.tier`.

The user's tier is the best entitlement that is live now (status active or past_due,
not yet ended). A user who never had an entitlement keeps the tier an operator set by
hand. Granting is an upsert on (source, source_ref): the same payment or subscription
seen twice is one row, updated in place, so redelivery cannot stack grants.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.config import TIER_ORDER
from core.billing.models import Entitlement
from core.db.models import Tier, User

LIVE = ("active", "past_due", "trialing")
PAID_SOURCES = ("stripe", "stars")  # grants that mean someone paid (not manual, referral)


def rank(tier: str) -> int:
    """A tier's place among the capped tiers (pay-as-you-go and unknown rank as free)."""
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else 0


def live(row: Entitlement, now: datetime) -> bool:
    """Whether `row` gives its tier now."""
    return row.status in LIVE and (row.ends_at is None or row.ends_at > now)


async def grant(
    session: AsyncSession, now: datetime, user: User, *, source: str, ref: str, tier: str,
    status: str, ends_at: datetime | None, final: bool = False, paid: str | None = None,
    **data: Any,
) -> Entitlement:
    """Create or update the entitlement for (source, ref), then re-derive the tier.

    `paid`: the payment that came with this grant ("stars:<charge>", "stripe:<invoice>"),
    only when money was actually received: a referral reward is earned on that, never
    on a subscription merely being active (a pay-as-you-go plan starts at $0).

    `final`: the provider ended it for good (a cancelled Stripe subscription never comes
    back). Two events of one subscription can be applied at once (two workers, two
    processes), each with what it read from the provider before its transaction; the
    row is locked, and once final it keeps its end, so a "past_due" read before the
    cancellation but applied after it cannot bring the plan back."""
    row = await session.scalar(select(Entitlement).where(
        Entitlement.source == source, Entitlement.source_ref == ref).with_for_update())
    if row is not None and (row.data or {}).get("final"):
        return row
    if final:
        data["final"] = True
    if row is None:
        row = Entitlement(user_id=user.id, source=source, source_ref=ref, starts_at=now,
                          tier=tier, status=status, ends_at=ends_at, data=dict(data),
                          updated_at=now)
        session.add(row)
    else:
        row.tier, row.status, row.ends_at, row.updated_at = tier, status, ends_at, now
        row.data = {**row.data, **data}
    await session.flush()
    if paid is not None:  # money came in: a referral's reward, on the first payment
        from core.referrals.ledger import first_payment

        await first_payment(session, now, user.id, paid)
    if source in ("stripe", "stars") and status in LIVE and tier != Tier.FREE.value:
        from core.experiments.service import convert  # paid: an A/B conversion, once

        await convert(session, now, user.id, f"{source}:{ref}")
    if source in PAID_SOURCES:  # a plan this one betters stops renewing (after the commit)
        from core.billing.renewals import supersede

        await supersede(session, now, user.id)
    await refresh(session, now, user)
    return row


async def refresh(session: AsyncSession, now: datetime, user: User) -> str:
    """Set `user.tier` from their entitlements (if they have any) and return it."""
    rows = list(await session.scalars(select(Entitlement).where(
        Entitlement.user_id == user.id)))
    if not rows:
        return user.tier
    tiers = [r.tier for r in rows if live(r, now)]
    tier = max(tiers, key=rank) if tiers else Tier.FREE.value
    if user.tier != tier:  # by statement too: `user` may come from another session
        await session.execute(update(User).where(User.id == user.id)
                              .values(tier=tier, updated_at=now)
                              .execution_options(synchronize_session=False))
        user.tier, user.updated_at = tier, now
    return tier
