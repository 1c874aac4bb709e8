"""captions: batches, options (ids for buttons, fingerprints for no-repeat), voices

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "caption_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("subreddit", sa.String(length=64), nullable=True),
        sa.Column("tone", sa.String(length=24), nullable=False),
        sa.Column("style", sa.String(length=24), nullable=False),
        sa.Column("nsfw", sa.Boolean(), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("degraded", sa.Boolean(), nullable=False),
        sa.Column("brief", core.db.base.JSONType, nullable=False),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_caption_batches_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caption_batches")),
    )
    with op.batch_alter_table("caption_batches", schema=None) as batch_op:
        batch_op.create_index(
            "ix_caption_batches_user_created", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "caption_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("hashtags", core.db.base.JSONType, nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("used_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["caption_batches.id"],
            name=op.f("fk_caption_options_batch_id_caption_batches"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_caption_options_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caption_options")),
    )
    with op.batch_alter_table("caption_options", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_caption_options_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            "ix_caption_options_user_created", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "caption_voices",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("preferred_tone", sa.String(length=24), nullable=True),
        sa.Column("emoji_budget", sa.Integer(), nullable=False),
        sa.Column("avoid_phrases", core.db.base.JSONType, nullable=False),
        sa.Column("banned_words", core.db.base.JSONType, nullable=False),
        sa.Column("updated_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_caption_voices_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_caption_voices")),
    )


def downgrade() -> None:
    op.drop_table("caption_voices")
    with op.batch_alter_table("caption_options", schema=None) as batch_op:
        batch_op.drop_index("ix_caption_options_user_created")
        batch_op.drop_index(batch_op.f("ix_caption_options_batch_id"))
    op.drop_table("caption_options")
    with op.batch_alter_table("caption_batches", schema=None) as batch_op:
        batch_op.drop_index("ix_caption_batches_user_created")
    op.drop_table("caption_batches")
