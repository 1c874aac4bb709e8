"""Subscription events from a tier change: started, changed or cancelled, with revenue.

Billing calls `record_tier_change` after a grant re-derived the user's tier; nothing is
recorded when the tier stayed the same (a renewal, a redelivered webhook).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.tiers import Plans
from core.db.models import Tier
from core.events import EventKind, EventLog


def change_kind(before: str, after: str) -> EventKind | None:
    free = Tier.FREE.value
    if before == after:
        return None
    if before == free:
        return EventKind.SUBSCRIPTION_STARTED
    if after == free:
        return EventKind.SUBSCRIPTION_CANCELLED
    return EventKind.SUBSCRIPTION_CHANGED


async def record_tier_change(events: EventLog, session: AsyncSession, plans: Plans,
                             user_id: int, before: str, after: str, source: str) -> None:
    """`revenue` is the new monthly price (0 once cancelled); `delta` the MRR change."""
    kind = change_kind(before, after)
    if kind is None:
        return
    revenue = plans.get(after).price_month
    await events.record(session, kind, user_id, tier=after, previous=before, source=source,
                        revenue=revenue, delta=revenue - plans.get(before).price_month)
