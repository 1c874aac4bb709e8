"""Tables for consents (an append-only record) and the creator profile."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class Consent(Base):
    """One acceptance: the terms, or the explicit 18+ confirmation. Rows are only ever
    added, so the record shows which version someone accepted and when, even after the
    terms change and they accept again."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # terms | adult
    version: Mapped[str] = mapped_column(String(32))
    via: Mapped[str] = mapped_column(String(16))  # the transport it was given on
    accepted_at: Mapped[datetime]


class CreatorProfile(Base):
    """What the wizard asks beyond the caption voice: the creator's niche and the
    caption style they start in. One row per user, created on first save."""

    __tablename__ = "creator_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    niche: Mapped[str | None] = mapped_column(String(120))
    preferred_style: Mapped[str | None] = mapped_column(String(24))
    updated_at: Mapped[datetime]
