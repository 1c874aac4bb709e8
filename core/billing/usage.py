"""What `/usage` shows on every front door: today's use against each limit of the
plan, this month's metered units, and the running bill on pay-as-you-go.

Months are UTC calendar months, as the pay-as-you-go bill counts them
(`core.billing.payg.money.month_span`); days are the creator's own (quotas refill at
their midnight).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.models import UsageRecord
from core.billing.payg.bill import Bill, Bills
from core.billing.payg.money import month_of, month_span
from core.billing.service import BillingService, MeterUsage
from core.billing.tiers import Meter, Plan
from core.clock import Clock
from core.db.models import User


@dataclass(frozen=True)
class UsageSummary:
    plan: Plan
    today: tuple[MeterUsage, ...]  # one per meter, in Meter order
    month: str  # YYYY-MM (UTC)
    month_units: dict[str, int]  # meter -> units counted this month, every meter listed
    bill: Bill | None  # the month's bill so far, on pay-as-you-go only


async def summarize(session: AsyncSession, billing: BillingService, clock: Clock,
                    user: User) -> UsageSummary:
    plan = await billing.plan_of(session, user)
    today = tuple([await billing.usage(session, user, meter) for meter in Meter])
    month = month_of(clock.now())
    start, end = month_span(month)
    counted = {meter: int(n or 0) for meter, n in (await session.execute(
        select(UsageRecord.meter, func.sum(UsageRecord.quantity))
        .where(UsageRecord.user_id == user.id, UsageRecord.created_at >= start,
               UsageRecord.created_at < end)
        .group_by(UsageRecord.meter))).all()}
    units = {meter.value: counted.get(meter.value, 0) for meter in Meter}
    bill = (await Bills(billing.settings, clock).bill(session, user.id, month)
            if plan.metered else None)
    return UsageSummary(plan, today, month, units, bill)
