"""A month's pay-as-you-go bill, added up from the usage rows.

Each metered action is one `usage_records` row (one per idempotency key), so a retried
action is on the bill once. Rows taken on the `payg` plan between the month's first
instant and the next month's (UTC) are counted per meter, priced at the configured
rates with exact decimals, summed, and rounded to minor units once, half up. Earned
referral credit comes off the total: shown on an open month, used up when it closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.models import UsageRecord
from core.billing.payg.models import MonthlyBill
from core.billing.payg.money import month_span, to_minor
from core.billing.tiers import PAYG
from core.clock import Clock
from core.db.upsert import insert_for
from core.referrals import ledger
from core.settings import Settings


class MonthNotOver(ValueError):
    """A month is closed (its credit used) only once it has ended."""


@dataclass(frozen=True)
class BillLine:
    meter: str
    quantity: int
    rate: Decimal
    amount: Decimal  # exact: quantity × rate


@dataclass(frozen=True)
class Bill:
    user_id: int
    month: str
    currency: str
    lines: tuple[BillLine, ...]
    subtotal_minor: int
    credit_minor: int
    closed: bool

    @property
    def total_minor(self) -> int:
        return self.subtotal_minor - self.credit_minor


class Bills:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._rates = settings.billing.payg.rates
        self._currency = settings.billing.currency
        self._clock = clock

    async def lines(self, session: AsyncSession, user_id: int, month: str
                    ) -> tuple[BillLine, ...]:
        start, end = month_span(month)
        counted: dict[str, int] = {meter: int(n or 0) for meter, n in (await session.execute(
            select(UsageRecord.meter, func.sum(UsageRecord.quantity))
            .where(UsageRecord.user_id == user_id, UsageRecord.tier == PAYG,
                   UsageRecord.created_at >= start, UsageRecord.created_at < end)
            .group_by(UsageRecord.meter))).all()}
        return tuple(BillLine(meter, counted.get(meter, 0), rate, counted.get(meter, 0) * rate)
                     for meter, rate in self._rates.items())

    def subtotal(self, lines: tuple[BillLine, ...]) -> int:
        return to_minor(sum((line.amount for line in lines), Decimal(0)), self._currency)

    async def bill(self, session: AsyncSession, user_id: int, month: str) -> Bill:
        """The month's bill: as closed, or as it stands (with the credit it would use)."""
        lines = await self.lines(session, user_id, month)
        closed = await session.get(MonthlyBill, (user_id, month))
        if closed is not None:
            return Bill(user_id, month, closed.currency, lines, closed.subtotal_minor,
                        closed.credit_minor, True)
        subtotal = self.subtotal(lines)
        credit = min(await ledger.available(session, user_id, self._currency), subtotal)
        return Bill(user_id, month, self._currency, lines, subtotal, credit, False)

    async def close(self, session: AsyncSession, user_id: int, month: str) -> Bill:
        """Fix an ended month's bill and use the credit it takes (once: closing it again
        returns the bill as it was closed)."""
        now = self._clock.now()
        _, end = month_span(month)
        if now < end:
            raise MonthNotOver(f"{month} has not ended yet")
        lines = await self.lines(session, user_id, month)
        subtotal = self.subtotal(lines)
        claimed = await session.scalar(insert_for(session)(MonthlyBill).values(
            user_id=user_id, month=month, currency=self._currency, subtotal_minor=subtotal,
            credit_minor=0, total_minor=subtotal, closed_at=now,
        ).on_conflict_do_nothing(index_elements=["user_id", "month"])
            .returning(MonthlyBill.month))
        if claimed is None:
            return await self.bill(session, user_id, month)
        credit = await ledger.apply(session, now, user_id, subtotal, self._currency)
        row = await session.get(MonthlyBill, (user_id, month), populate_existing=True)
        assert row is not None
        row.credit_minor, row.total_minor = credit, subtotal - credit
        await session.flush()
        return Bill(user_id, month, self._currency, lines, subtotal, credit, True)

    async def billed_users(self, session: AsyncSession, month: str) -> list[int]:
        """Everyone with pay-as-you-go usage in `month`, by id."""
        start, end = month_span(month)
        return list(await session.scalars(
            select(UsageRecord.user_id).where(
                UsageRecord.tier == PAYG, UsageRecord.created_at >= start,
                UsageRecord.created_at < end)
            .group_by(UsageRecord.user_id).order_by(UsageRecord.user_id)))
