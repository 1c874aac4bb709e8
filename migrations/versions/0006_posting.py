"""posting engine: jobs, per-subreddit targets, stored media, account pauses, the
app-wide Reddit API budget, and the notification outbox

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reddit_api_budget",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("remaining", sa.Double(), nullable=False),
        sa.Column("reset_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_reddit_api_budget")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", core.db.base.JSONType, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("not_before", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("lease_until", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("transport", sa.String(length=16), nullable=True),
        sa.Column("last_error", sa.String(length=256), nullable=True),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_outbox_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_key", name=op.f("uq_outbox_event_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_state_not_before", ["state", "not_before"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_user_id"), ["user_id"], unique=False)

    op.create_table(
        "post_account_pauses",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("paused_until", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("updated_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["reddit_accounts.id"],
            name=op.f("fk_post_account_pauses_account_id_reddit_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_post_account_pauses")),
    )
    op.create_table(
        "post_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("nsfw", sa.Boolean(), nullable=False),
        sa.Column("spoiler", sa.Boolean(), nullable=False),
        sa.Column("first_comment", sa.Text(), nullable=True),
        sa.Column("content_key", sa.String(length=64), nullable=True),
        sa.Column("shield_level", sa.String(length=16), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=True),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["reddit_accounts.id"],
            name=op.f("fk_post_jobs_account_id_reddit_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_post_jobs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_jobs")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_post_jobs_idempotency_key")),
    )
    with op.batch_alter_table("post_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_jobs_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_post_jobs_user_id"), ["user_id"], unique=False)

    op.create_table(
        "post_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("subreddit", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=320), nullable=False),
        sa.Column("flair_id", sa.String(length=64), nullable=True),
        sa.Column("flair_text", sa.String(length=64), nullable=True),
        sa.Column("due_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("not_before", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("lease_until", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("attempted_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("first_attempted_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("posted_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reddit_id", sa.String(length=16), nullable=True),
        sa.Column("permalink", sa.String(length=512), nullable=True),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.Column("error_params", core.db.base.JSONType, nullable=False),
        sa.Column("updated_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["reddit_accounts.id"],
            name=op.f("fk_post_targets_account_id_reddit_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["post_jobs.id"],
            name=op.f("fk_post_targets_job_id_post_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_targets")),
        sa.UniqueConstraint("job_id", "subreddit", name=op.f("uq_post_targets_job_id")),
    )
    with op.batch_alter_table("post_targets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_post_targets_account_state", ["account_id", "state"], unique=False
        )
        batch_op.create_index(
            "ix_post_targets_state_not_before", ["state", "not_before"], unique=False
        )

    op.create_table(
        "post_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("caption", sa.String(length=512), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["post_targets.id"],
            name=op.f("fk_post_media_target_id_post_targets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_media")),
    )
    with op.batch_alter_table("post_media", schema=None) as batch_op:
        batch_op.create_index("ix_post_media_sha256", ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_post_media_target_id"), ["target_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("post_media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_media_target_id"))
        batch_op.drop_index("ix_post_media_sha256")

    op.drop_table("post_media")
    with op.batch_alter_table("post_targets", schema=None) as batch_op:
        batch_op.drop_index("ix_post_targets_state_not_before")
        batch_op.drop_index("ix_post_targets_account_state")

    op.drop_table("post_targets")
    with op.batch_alter_table("post_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_jobs_user_id"))
        batch_op.drop_index(batch_op.f("ix_post_jobs_account_id"))

    op.drop_table("post_jobs")
    op.drop_table("post_account_pauses")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_user_id"))
        batch_op.drop_index("ix_outbox_state_not_before")

    op.drop_table("outbox")
    op.drop_table("reddit_api_budget")
