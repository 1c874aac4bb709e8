"""Revenue from the billing grants: MRR, ARPU, churn, and MRR by tier and by provider.

A paying user is one with a live paid entitlement (Stripe or Stars; a manual grant is
not revenue). A user with several live grants (a Stars renewal overlapping the charge
before it) counts once, at their best tier. Prices are the tiers' monthly prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics.reports import PAID_SOURCES
from core.analytics.sql import live_users, start_of
from core.billing.grants import LIVE, rank
from core.billing.models import Entitlement
from core.billing.tiers import Plans
from core.db.models import User


@dataclass(frozen=True)
class Revenue:
    mrr: float
    paying: int
    users: int
    arpu: float  # MRR over every live user
    churn: float  # share of those paying 30 days ago who pay no more
    by_tier: dict[str, float]
    by_provider: dict[str, float]


async def _paying(session: AsyncSession, at: datetime, *, now: bool) -> dict[int, tuple[str, str]]:
    """user id -> (best tier, its source) of those paying at `at`. For today the grant's
    status counts too; for a past moment only its dates (and refunds, never revenue)."""
    stmt = (select(Entitlement.user_id, Entitlement.tier, Entitlement.source)
            .join(User, User.id == Entitlement.user_id)
            .where(live_users(), Entitlement.source.in_(PAID_SOURCES),
                   Entitlement.starts_at <= at,
                   or_(Entitlement.ends_at.is_(None), Entitlement.ends_at > at)))
    stmt = stmt.where(Entitlement.status.in_(LIVE) if now else Entitlement.status != "refunded")
    best: dict[int, tuple[str, str]] = {}
    for uid, tier, source in await session.execute(stmt):
        if uid not in best or rank(tier) > rank(best[uid][0]):
            best[uid] = (tier, source)
    return best


async def revenue(session: AsyncSession, plans: Plans, today: date, now: datetime) -> Revenue:
    current = await _paying(session, now, now=True)
    before = await _paying(session, start_of(today) - timedelta(days=30), now=False)
    by_tier: dict[str, float] = {}
    by_provider: dict[str, float] = {}
    for tier, source in current.values():
        price = plans.get(tier).price_month
        by_tier[tier] = by_tier.get(tier, 0.0) + price
        by_provider[source] = by_provider.get(source, 0.0) + price
    mrr = sum(by_tier.values())
    users = int(await session.scalar(select(func.count()).select_from(User)
                                     .where(live_users())) or 0)
    lost = len(set(before) - set(current))
    return Revenue(mrr=round(mrr, 2), paying=len(current), users=users,
                   arpu=round(mrr / users, 2) if users else 0.0,
                   churn=round(lost / len(before), 4) if before else 0.0,
                   by_tier=by_tier, by_provider=by_provider)
