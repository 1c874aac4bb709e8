"""web push: push_subscriptions (a browser's endpoint and keys per creator),
notice_preferences (posted / failed / removed, to the chat and/or push) and the
outbox's `route` (chat or push: each route of a notice is its own row, claimed and
marked once)

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFS = ("posted_chat", "posted_push", "failed_chat", "failed_push", "removed_chat",
         "removed_push")


def upgrade() -> None:
    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(length=1024), nullable=False),
        sa.Column("p256dh", sa.String(length=128), nullable=False),
        sa.Column("auth", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=128), nullable=True),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_push_subscriptions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("endpoint", name=op.f("uq_push_subscriptions_endpoint")),
    )
    with op.batch_alter_table("push_subscriptions") as batch:
        batch.create_index(batch.f("ix_push_subscriptions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "notice_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Boolean(), nullable=False) for name in PREFS),
        sa.Column("updated_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_notice_preferences_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notice_preferences")),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("route", sa.String(length=8), nullable=False,
                                   server_default="chat"))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("route")
    op.drop_table("notice_preferences")
    with op.batch_alter_table("push_subscriptions") as batch:
        batch.drop_index(batch.f("ix_push_subscriptions_user_id"))
    op.drop_table("push_subscriptions")
