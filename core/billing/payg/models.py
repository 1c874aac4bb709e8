"""Pay-as-you-go tables: a closed month's bill, kept as it was when credits were applied.

The index on `usage_records (tier, reported_at)` lets the meter reporter find the
pay-as-you-go rows Stripe has not heard of without scanning every usage row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.billing.models import UsageRecord
from core.db.base import Base

UNREPORTED_INDEX = Index("ix_usage_records_tier_reported", UsageRecord.tier,
                         UsageRecord.reported_at)


class MonthlyBill(Base):
    """A month closed for one user: its amounts in minor units (cents)."""

    __tablename__ = "monthly_bills"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 2026-11
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_minor: Mapped[int]
    credit_minor: Mapped[int]
    total_minor: Mapped[int]
    closed_at: Mapped[datetime]
