"""The referral ledger: rewards earned on a referred user's first payment, and credit
used up on the referrer's bills.

`first_payment` is called from `core.billing.grants.grant` when money came in with a
grant: a Telegram Stars charge, or a Stripe invoice paid for more than zero (never a
subscription merely active: a pay-as-you-go plan starts at $0). One conditional UPDATE
(pending → earned) makes the reward happen once, however often the payment is
redelivered or replayed. `taken_back` undoes it when that very payment is refunded
(a Stars refund; a Stripe `charge.refunded` for the invoice); the referral is pending
again and the next real payment earns it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import User
from core.referrals.models import CREDIT, EARNED, FREE_MONTH, PAID, PENDING, Referral

log = logging.getLogger(__name__)

PAYMENT_SOURCES = ("stripe", "stars")
SOURCE = "referral"  # entitlements granted as a free month


async def first_payment(session: AsyncSession, now: datetime, user_id: int, ref: str
                        ) -> Referral | None:
    """The referral of `user_id`, earned now if this is their first payment (else None)."""
    earned = await session.scalar(
        update(Referral).where(Referral.referred_id == user_id, Referral.status == PENDING)
        .values(status=EARNED, earned_at=now, earned_ref=ref[:160])
        .returning(Referral.id).execution_options(synchronize_session=False))
    if earned is None:
        return None
    row = await session.get(Referral, earned, populate_existing=True)
    assert row is not None
    if row.reward == FREE_MONTH:
        await _free_month(session, now, row)
    return row


async def _free_month(session: AsyncSession, now: datetime, row: Referral) -> None:
    """Grant the referrer their free month at once (paid out as it is earned)."""
    from core.billing import grants

    referrer = None if row.referrer_id is None else await session.get(User, row.referrer_id)
    if referrer is None or referrer.deleted_at is not None or not row.free_tier:
        return  # earned, but there is nobody to give it to
    await grants.grant(session, now, referrer, source=SOURCE, ref=f"referred:{row.referred_id}",
                       tier=row.free_tier, status="active",
                       ends_at=now + timedelta(days=row.free_days or 30))
    row.status, row.paid_at = PAID, now


async def taken_back(session: AsyncSession, now: datetime, ref: str) -> Referral | None:
    """The payment `ref` (e.g. "stars:<charge>") was refunded: if it earned a referral
    reward, take the reward back (None: it earned none). A free month granted for it
    ends now; credit not used on a bill yet is withdrawn. Either way the referral is
    pending again, so the referred person's next real payment earns it. Credit already
    used on a bill cannot be taken back: the reward stays, and this is logged."""
    row = await session.scalar(select(Referral).where(
        Referral.earned_ref == ref[:160], Referral.status.in_((EARNED, PAID)))
        .with_for_update())
    if row is None:
        return None
    if row.reward == CREDIT and row.applied_minor:
        log.warning("referral %s: refunded payment %s earned credit already used on a "
                    "bill; kept", row.id, ref)
        return None
    if row.reward == FREE_MONTH and row.status == PAID:
        await _end_free_month(session, now, row)
    row.status, row.earned_at, row.earned_ref, row.paid_at = PENDING, None, None, None
    await session.flush()
    return row


async def _end_free_month(session: AsyncSession, now: datetime, row: Referral) -> None:
    from core.billing import grants
    from core.billing.models import Entitlement

    referrer = None if row.referrer_id is None else await session.get(User, row.referrer_id)
    granted = await session.scalar(select(Entitlement).where(
        Entitlement.source == SOURCE, Entitlement.source_ref == f"referred:{row.referred_id}"))
    if referrer is None or granted is None:
        return  # purged, or it was never granted: nothing to end
    await grants.grant(session, now, referrer, source=SOURCE, ref=granted.source_ref,
                       tier=granted.tier, status="revoked", ends_at=now,
                       revoked_at=now.isoformat())


def _credit_rows(referrer_id: int, currency: str) -> tuple[object, ...]:
    return (Referral.referrer_id == referrer_id, Referral.status == EARNED,
            Referral.reward == CREDIT, Referral.currency == currency)


async def available(session: AsyncSession, referrer_id: int, currency: str) -> int:
    """Earned credit not yet used on a bill, in minor units."""
    left = await session.scalar(select(
        func.coalesce(func.sum(Referral.amount_minor - Referral.applied_minor), 0))
        .where(*_credit_rows(referrer_id, currency)))  # type: ignore[arg-type]
    return int(left or 0)


async def apply(session: AsyncSession, now: datetime, referrer_id: int, due_minor: int,
                currency: str) -> int:
    """Use up to `due_minor` of earned credit, oldest first; what was used. A reward
    used up entirely is paid. Rows are locked (PostgreSQL) while they are changed."""
    used = 0
    rows = await session.scalars(
        select(Referral).where(*_credit_rows(referrer_id, currency))  # type: ignore[arg-type]
        .order_by(Referral.earned_at, Referral.id).with_for_update())
    for row in rows:
        take = min(row.amount_minor - row.applied_minor, due_minor - used)
        if take <= 0:
            continue
        row.applied_minor += take
        used += take
        if row.applied_minor >= row.amount_minor:
            row.status, row.paid_at = PAID, now
    await session.flush()
    return used
