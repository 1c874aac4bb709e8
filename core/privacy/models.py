"""A requested account deletion: the account is soft-deleted at once and purged (every
row gone) once `purge_after` has passed, unless the person comes back and restores it.

`plans_pending` lists the card plans not yet cancelled at Stripe (core.privacy.plans).
The row goes with the user (ON DELETE CASCADE), so after the purge nothing names them.
Accounts retired by linking (`core.users.absorb`) are soft-deleted too but have no row
here: their history stays, and the purge never touches them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, JSONType


class AccountDeletion(Base):
    __tablename__ = "account_deletions"
    __table_args__ = (Index("ix_account_deletions_purge_after", "purge_after"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    requested_at: Mapped[datetime]
    purge_after: Mapped[datetime]
    via: Mapped[str] = mapped_column(String(16))  # the transport or "web"
    # Stripe subscriptions still to cancel (core.privacy.plans): tried until done
    plans_pending: Mapped[list[str]] = mapped_column(
        JSONType, default=list, server_default=text("'[]'"))
