"""post outcomes: a check row per live post at 1 h, 6 h and 24 h (score, ratio,
comments, removal, visibility), claimed by the outcome worker like post targets; and
each subreddit's recent post times and scores for the best-time model; each creator's
refit engagement model

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.db.base import JSONType, UTCDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "post_checks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("target_id", sa.Integer(),
                  sa.ForeignKey("post_targets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("account_id", sa.Integer(),
                  sa.ForeignKey("reddit_accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("reddit_id", sa.String(16), nullable=False),
        sa.Column("subreddit", sa.String(64), nullable=False),
        sa.Column("title", sa.String(320), nullable=False),
        sa.Column("label", sa.String(8), nullable=False),
        sa.Column("posted_at", UTCDateTime(), nullable=False),
        sa.Column("not_before", UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("claim_token", sa.String(32)),
        sa.Column("lease_until", UTCDateTime()),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("checked_at", UTCDateTime()),
        sa.Column("score", sa.Integer()),
        sa.Column("upvote_ratio", sa.Float()),
        sa.Column("num_comments", sa.Integer()),
        sa.Column("removed", sa.String(32)),
        sa.Column("visible", sa.Boolean()),
        sa.Column("error", sa.String(64)),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("target_id", "label"),
    )
    op.create_index("ix_post_checks_state_not_before", "post_checks", ["state", "not_before"])
    op.create_index("ix_post_checks_account_checked", "post_checks",
                    ["account_id", "checked_at"])
    op.create_index("ix_post_checks_user_id", "post_checks", ["user_id"])
    op.create_table(
        "subreddit_activity",
        sa.Column("subreddit", sa.String(64), primary_key=True),
        sa.Column("posts", JSONType, nullable=False),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "engagement_models",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("bias", sa.Float(), nullable=False),
        sa.Column("weights", JSONType, nullable=False),
        sa.Column("fitted_on", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("engagement_models")
    op.drop_table("subreddit_activity")
    op.drop_table("post_checks")
