"""Sign-in tables: single-use secrets (magic links, link codes) and web sessions.

Neither table stores a usable secret. A magic link's nonce and a link code are kept as
a keyed MAC (an 8-character code is 40 bits: a plain hash of it could be reversed from
a database dump in minutes), a session id as SHA-256 of 32 random bytes (too long to
guess, so a plain hash suffices and needs no key). Whoever reads the database learns
who is signed in, never how to be them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class AuthNonce(Base):
    """One secret that works once: used up by a conditional UPDATE (`used_at IS NULL`),
    so of two redemptions racing each other exactly one wins, on every backend."""

    __tablename__ = "auth_nonces"
    __table_args__ = (Index("ix_auth_nonces_expires_at", "expires_at"),)

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))  # signin | link | widget
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser. The cookie holds the random id; this row decides whether it
    is still good: revoked ("sign out", "sign out everywhere"), idle too long, too old."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    via: Mapped[str] = mapped_column(String(16))  # magic_link | telegram_login | mini_app
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
