"""Referral tables: each user's code, and one row per attributed sign-up.

`referrals.referred_id` is unique, so a user is attributed at most once whatever
races. The same row is the reward's ledger entry: pending (signed up) → earned (they
first paid; the reward's terms were fixed at sign-up) → paid (the credit was used up on
the referrer's bills, or the free month was granted). Either side's purge can leave the
row (core.privacy.purge): purging the referrer detaches them (`referrer_id` NULL), as the
row is the referred person's sign-up attribution as much as the referrer's reward;
purging the referred person detaches them (`referred_id` NULL) once the reward is
earned, as it is then the referrer's credit, which they keep. Hence the surrogate `id`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base

PENDING, EARNED, PAID = "pending", "earned", "paid"
CREDIT, FREE_MONTH = "credit", "free_month"


class ReferralCode(Base):
    __tablename__ = "referral_codes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime]


class Referral(Base):
    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_referrer_status", "referrer_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None once the referred person's account was purged: an earned reward is the referrer's
    referred_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    # None once the referrer's account was purged: the row is the referred person's too
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    via: Mapped[str] = mapped_column(String(16))  # telegram | discord | web | console
    status: Mapped[str] = mapped_column(String(8))  # pending | earned | paid
    reward: Mapped[str] = mapped_column(String(16))  # credit | free_month
    amount_minor: Mapped[int] = mapped_column(default=0)  # credit, in minor units
    free_tier: Mapped[str | None] = mapped_column(String(16))  # free month: which tier
    free_days: Mapped[int | None]  # and for how long
    applied_minor: Mapped[int] = mapped_column(default=0)  # of it, used on bills so far
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime]
    earned_at: Mapped[datetime | None]
    earned_ref: Mapped[str | None] = mapped_column(String(160))  # the payment that earned it
    paid_at: Mapped[datetime | None]
