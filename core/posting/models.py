"""Posting tables: jobs, their per-subreddit targets, stored media, pauses, budget, outbox.

A *job* is what the creator asked for (one post, now or later, to one or more
subreddits); each *target* is one submit to one subreddit and carries the whole
exactly-once protocol: claim (`claim_token` + `lease_until`), the *attempted* mark
(`attempted_at`, set before the submit, cleared only when Reddit said "no"), and the
*posted* mark (`state = posted` + link). The jobs table is the queue: no broker keeps a
second copy of this state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class State:
    """States shared by targets and outbox messages (both go through core.posting.claims)."""

    QUEUED = "queued"
    RUNNING = "running"
    POSTED = "posted"  # targets
    SENT = "sent"  # outbox
    FAILED = "failed"
    CANCELLED = "cancelled"

    LIVE = (QUEUED, RUNNING)


class PostJob(Base):
    __tablename__ = "post_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("reddit_accounts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2048))
    nsfw: Mapped[bool] = mapped_column(default=False)
    spoiler: Mapped[bool] = mapped_column(default=False)
    first_comment: Mapped[str | None] = mapped_column(Text)
    # Hash of the original (unshielded) media or link: the duplicate checks' key.
    content_key: Mapped[str | None] = mapped_column(String(64))
    shield_level: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))  # chat | cli | import
    # Makes a retried create (double tap, re-run import) return the same job.
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]


class PostTarget(Base):
    __tablename__ = "post_targets"
    __table_args__ = (
        UniqueConstraint("job_id", "subreddit"),
        Index("ix_post_targets_state_not_before", "state", "not_before"),
        Index("ix_post_targets_account_state", "account_id", "state"),
        # The worker's due scan and queue depth (0016); partial on PostgreSQL.
        Index("ix_post_targets_queued_due", "not_before",
              postgresql_where=text("state = 'queued'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("post_jobs.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("reddit_accounts.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(default=0)
    subreddit: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(320))
    flair_id: Mapped[str | None] = mapped_column(String(64))
    flair_text: Mapped[str | None] = mapped_column(String(64))
    due_at: Mapped[datetime]  # when the creator wants it live (lateness is measured here)
    not_before: Mapped[datetime]  # when it may next be tried (due, backoff, rate limit)
    state: Mapped[str] = mapped_column(String(16), default=State.QUEUED)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    attempted_at: Mapped[datetime | None]  # set: a submit may have landed, look first
    first_attempted_at: Mapped[datetime | None]  # how far back reconciliation looks
    posted_at: Mapped[datetime | None]
    reddit_id: Mapped[str | None] = mapped_column(String(16))
    permalink: Mapped[str | None] = mapped_column(String(512))
    error: Mapped[str | None] = mapped_column(String(64))
    error_params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]


class PostMedia(Base):
    """One stored photo of a target, by content hash (see core.posting.media)."""

    __tablename__ = "post_media"
    __table_args__ = (Index("ix_post_media_sha256", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("post_targets.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    caption: Mapped[str] = mapped_column(String(512), default="")


class AccountPause(Base):
    """Reddit said RATELIMIT to this account: its queue waits until `paused_until`."""

    __tablename__ = "post_account_pauses"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("reddit_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    paused_until: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class ApiBudget(Base):
    """Reddit API requests left in the current window for one OAuth client id."""

    __tablename__ = "reddit_api_budget"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    remaining: Mapped[float]
    reset_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OutboxMessage(Base):
    """A notice for a creator (posted, failed, paused), delivered by a chat transport."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_not_before", "state", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(128), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(16), default=State.QUEUED)
    not_before: Mapped[datetime]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    transport: Mapped[str | None] = mapped_column(String(16))
    # "chat" (the first chat transport that reaches the creator) or "push" (every browser
    # they subscribed): each route of one event is its own row, delivered once.
    route: Mapped[str] = mapped_column(String(8), default="chat", server_default="chat")
    last_error: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
