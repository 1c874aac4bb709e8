"""Billing tables: quota counters, metered usage, tier grants and processed payments.

Quota is a counter row per (user, meter, local day) moved by one conditional UPDATE,
so concurrent requests cannot both take the last unit on any backend. Every metered
action is also a `usage_records` row keyed by its idempotency key (the same action
retried is counted once; the key doubles as Stripe's meter-event `identifier`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class UsageCounter(Base):
    __tablename__ = "usage_counters"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    meter: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # the user's local date
    used: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]


class UsageRecord(Base):
    __tablename__ = "usage_records"
    __table_args__ = (Index("ix_usage_records_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    meter: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(default=1)
    day: Mapped[str] = mapped_column(String(10))
    tier: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    reported_at: Mapped[datetime | None]  # sent to Stripe as a meter event


class Entitlement(Base):
    """A tier granted by a payment (a Stripe subscription, a Stars charge) or by hand.

    `source_ref` (subscription id, charge id) is unique per source: granting the same
    payment twice changes nothing. The user's tier is the best live entitlement's.
    """

    __tablename__ = "entitlements"
    __table_args__ = (UniqueConstraint("source", "source_ref"),
                      Index("ix_entitlements_status_ends", "status", "ends_at"))  # MRR (0016)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16))  # stripe | stars | manual
    source_ref: Mapped[str] = mapped_column(String(128))
    tier: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24))  # active | past_due | ended | refunded
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]
    # Whether we asked the provider to stop renewing it (core.billing.renewals): None
    # (renews as the provider says), "stop" / "resume" (to ask, after the commit; the
    # daily run asks again until it is done) or "stopped".
    renewal: Mapped[str | None] = mapped_column(String(16), index=True)


class BillingCustomer(Base):
    """Who a payment provider's customer is (Stripe `cus_...`)."""

    __tablename__ = "billing_customers"
    __table_args__ = (UniqueConstraint("provider", "customer_id"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class ProcessedEvent(Base):
    """A provider event handled once: a redelivered or replayed id is ignored."""

    __tablename__ = "billing_events"

    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    processed_at: Mapped[datetime]
