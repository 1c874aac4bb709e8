"""Caption tables: each generated batch, its options (ids for buttons, fingerprints for
"don't repeat") and the creator's remembered voice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, JSONType


class CaptionBatchRecord(Base):
    """One generation; counting these per day is the caption quota."""

    __tablename__ = "caption_batches"
    __table_args__ = (Index("ix_caption_batches_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    subreddit: Mapped[str | None] = mapped_column(String(64))
    tone: Mapped[str] = mapped_column(String(24))
    style: Mapped[str] = mapped_column(String(24))
    nsfw: Mapped[bool] = mapped_column(default=False)
    provider: Mapped[str] = mapped_column(String(32))
    degraded: Mapped[bool] = mapped_column(default=False)
    brief: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class CaptionOptionRecord(Base):
    __tablename__ = "caption_options"
    __table_args__ = (Index("ix_caption_options_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("caption_batches.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(400))
    body: Mapped[str | None] = mapped_column(Text)
    hashtags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    fingerprint: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class CaptionVoiceRecord(Base):
    """Per-creator preferences applied to every batch."""

    __tablename__ = "caption_voices"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    preferred_tone: Mapped[str | None] = mapped_column(String(24))
    emoji_budget: Mapped[int] = mapped_column(default=2)
    avoid_phrases: Mapped[list[str]] = mapped_column(JSONType, default=list)
    banned_words: Mapped[list[str]] = mapped_column(JSONType, default=list)
    promo_link: Mapped[str | None] = mapped_column(String(256))
    updated_at: Mapped[datetime]
