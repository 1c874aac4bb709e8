"""Web push tables: a browser's push subscription, and what each creator wants told where.

A subscription is what `PushManager.subscribe()` returned in one browser: the push
service's endpoint (unique: a browser re-subscribing under another account moves it)
and the two keys the payload is encrypted to (RFC 8291), and the web session that
registered it: when that session signs out (or another person signs in in that browser),
the subscription goes too, so a shared device stops showing the last person's notices.
Notice preferences are one row per creator, created on first save; no row means every
notice goes everywhere.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base

MAX_ENDPOINT = 1024


class PushSubscription(Base):
    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(MAX_ENDPOINT), unique=True)
    p256dh: Mapped[str] = mapped_column(String(128))  # the browser's P-256 key, base64url
    auth: Mapped[str] = mapped_column(String(64))  # the 16-byte auth secret, base64url
    user_agent: Mapped[str | None] = mapped_column(String(128))  # "Chrome on Android"
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    # web_sessions.id_hash of the session that registered it (no foreign key: session
    # rows are only ever revoked); NULL for subscriptions from before migration 0023
    session_id_hash: Mapped[str | None] = mapped_column(String(64), index=True)


class NoticePreferences(Base):
    """Per creator: which notices (posted, failed, removed) go to the chat and to push."""

    __tablename__ = "notice_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    posted_chat: Mapped[bool] = mapped_column(default=True)
    posted_push: Mapped[bool] = mapped_column(default=True)
    failed_chat: Mapped[bool] = mapped_column(default=True)
    failed_push: Mapped[bool] = mapped_column(default=True)
    removed_chat: Mapped[bool] = mapped_column(default=True)
    removed_push: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime]
