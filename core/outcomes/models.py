"""The `post_checks` table: one row per live post and checkpoint (1h, 6h, 24h).

A row is a small queue item (claimed with `core.posting.claims`, like post targets and
outbox rows) and, once done, the stored outcome at that age: score, upvote ratio,
comments, whether Reddit removed it and whether other people can see it in the
subreddit's new listing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class PostCheck(Base):
    __tablename__ = "post_checks"
    __table_args__ = (
        UniqueConstraint("target_id", "label"),
        Index("ix_post_checks_state_not_before", "state", "not_before"),
        Index("ix_post_checks_account_checked", "account_id", "checked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("post_targets.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("reddit_accounts.id", ondelete="CASCADE"))
    reddit_id: Mapped[str] = mapped_column(String(16))
    subreddit: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(320))
    label: Mapped[str] = mapped_column(String(8))  # "1h" | "6h" | "24h"
    posted_at: Mapped[datetime]
    not_before: Mapped[datetime]  # due (or retry) time
    state: Mapped[str] = mapped_column(String(16))  # core.posting.models.State values
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    checked_at: Mapped[datetime | None]
    score: Mapped[int | None]
    upvote_ratio: Mapped[float | None]
    num_comments: Mapped[int | None]
    removed: Mapped[str | None] = mapped_column(String(32))  # core.outcomes.reading
    visible: Mapped[bool | None]  # in r/<sub>/new as others see it; None: not known
    error: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class SubredditActivity(Base):
    """When a subreddit's recent top and new posts went up, and their scores: the crowd
    half of the best-time model (core.outcomes.besttime). Refreshed at most daily, shared
    by every creator and process."""

    __tablename__ = "subreddit_activity"

    subreddit: Mapped[str] = mapped_column(String(64), primary_key=True)  # lower case
    posts: Mapped[dict[str, Any]] = mapped_column()  # {"posts": [[created_utc, score], ...]}
    fetched_at: Mapped[datetime]


class EngagementModel(Base):
    """A creator's refit engagement model (core.outcomes.predictor): read by /post's
    score, rewritten by the outcome worker when a post's day-one numbers are in."""

    __tablename__ = "engagement_models"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    bias: Mapped[float]
    weights: Mapped[dict[str, Any]] = mapped_column()  # {"<feature>": weight, ...}
    fitted_on: Mapped[int]
    updated_at: Mapped[datetime]
