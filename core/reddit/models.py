"""Reddit tables: connected accounts, OAuth states, cached subreddit rules, post history.

Credentials are stored only as ciphertext (see `core.reddit.crypto`); OAuth `state`
values only as a hash, so a database leak yields neither tokens nor usable states.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class AccountStatus:
    ACTIVE = "active"
    REVOKED = "revoked"


class RedditAccount(Base):
    """One Reddit account a user connected; a user may have several."""

    __tablename__ = "reddit_accounts"
    __table_args__ = (UniqueConstraint("user_id", "username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    auth_kind: Mapped[str] = mapped_column(String(16))  # oauth | token | script
    credentials: Mapped[str] = mapped_column(Text)  # encrypted JSON, never plaintext
    scopes: Mapped[str] = mapped_column(String(256), default="")
    status: Mapped[str] = mapped_column(String(16), default=AccountStatus.ACTIVE)
    last_error: Mapped[str | None] = mapped_column(String(64))
    last_error_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RedditPrefs(Base):
    """Per-user posting defaults (which account, whether to shield images first)."""

    __tablename__ = "reddit_prefs"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    default_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("reddit_accounts.id", ondelete="SET NULL")
    )
    protect_level: Mapped[str | None] = mapped_column(String(16))  # None = post as is
    updated_at: Mapped[datetime]


class OAuthState(Base):
    """A pending authorization: single use, bound to one user, short-lived."""

    __tablename__ = "reddit_oauth_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class SubredditCache(Base):
    """Normalised rules of one subreddit (from the starter set or fetched from Reddit)."""

    __tablename__ = "reddit_subreddits"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)  # lower case
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    source: Mapped[str] = mapped_column(String(16))  # starter | reddit
    fetched_at: Mapped[datetime]


class RedditPost(Base):
    """What was posted where; feeds the cooldown and duplicate checks."""

    __tablename__ = "reddit_posts"
    __table_args__ = (
        Index("ix_reddit_posts_account_sub_created", "account_id", "subreddit", "created_at"),
        Index("ix_reddit_posts_user_content", "user_id", "content_hash"),
        Index("ix_reddit_posts_user_title", "user_id", "title_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("reddit_accounts.id", ondelete="SET NULL")
    )
    subreddit: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(320))
    title_key: Mapped[str] = mapped_column(String(320))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    reddit_id: Mapped[str | None] = mapped_column(String(16))
    permalink: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime]
