"""reddit: accounts, oauth states, subreddit rules cache, post history, prefs

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reddit_subreddits",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("data", core.db.base.JSONType, nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("fetched_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reddit_subreddits")),
    )
    op.create_table(
        "reddit_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("auth_kind", sa.String(length=16), nullable=False),
        sa.Column("credentials", sa.Text(), nullable=False),
        sa.Column("scopes", sa.String(length=256), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("last_error", sa.String(length=64), nullable=True),
        sa.Column("last_error_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reddit_accounts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reddit_accounts")),
        sa.UniqueConstraint("user_id", "username", name=op.f("uq_reddit_accounts_user_id")),
    )
    with op.batch_alter_table("reddit_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reddit_accounts_user_id"), ["user_id"], unique=False)

    op.create_table(
        "reddit_oauth_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reddit_oauth_states_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reddit_oauth_states")),
        sa.UniqueConstraint("state_hash", name=op.f("uq_reddit_oauth_states_state_hash")),
    )
    with op.batch_alter_table("reddit_oauth_states", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reddit_oauth_states_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "reddit_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("subreddit", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=320), nullable=False),
        sa.Column("title_key", sa.String(length=320), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("reddit_id", sa.String(length=16), nullable=True),
        sa.Column("permalink", sa.String(length=512), nullable=True),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["reddit_accounts.id"],
            name=op.f("fk_reddit_posts_account_id_reddit_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reddit_posts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reddit_posts")),
    )
    with op.batch_alter_table("reddit_posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reddit_posts_account_sub_created",
            ["account_id", "subreddit", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_reddit_posts_user_content", ["user_id", "content_hash"], unique=False
        )
        batch_op.create_index("ix_reddit_posts_user_title", ["user_id", "title_key"], unique=False)

    op.create_table(
        "reddit_prefs",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("default_account_id", sa.Integer(), nullable=True),
        sa.Column("protect_level", sa.String(length=16), nullable=True),
        sa.Column("updated_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["default_account_id"],
            ["reddit_accounts.id"],
            name=op.f("fk_reddit_prefs_default_account_id_reddit_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reddit_prefs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reddit_prefs")),
    )


def downgrade() -> None:
    op.drop_table("reddit_prefs")
    with op.batch_alter_table("reddit_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_reddit_posts_user_title")
        batch_op.drop_index("ix_reddit_posts_user_content")
        batch_op.drop_index("ix_reddit_posts_account_sub_created")

    op.drop_table("reddit_posts")
    with op.batch_alter_table("reddit_oauth_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reddit_oauth_states_user_id"))

    op.drop_table("reddit_oauth_states")
    with op.batch_alter_table("reddit_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reddit_accounts_user_id"))

    op.drop_table("reddit_accounts")
    op.drop_table("reddit_subreddits")
