"""foundation: users, identities, conversation state, events

Revision ID: 0001
Revises:
Create Date: 2026-11-25 14:29:41.890034
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=128), nullable=True),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("adult_confirmed_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("nsfw_enabled", sa.Boolean(), nullable=False),
        sa.Column("onboarded_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_table(
        "conversation_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transport", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("flow", sa.String(length=32), nullable=True),
        sa.Column("step", sa.String(length=32), nullable=True),
        sa.Column("data", core.db.base.JSONType, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_conversation_states_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_states")),
        sa.UniqueConstraint(
            "transport", "chat_id", "user_id", name=op.f("uq_conversation_states_transport")
        ),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("data", core.db.base.JSONType, nullable=False),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_events_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_kind_created", ["kind", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_user_id"), ["user_id"], unique=False)

    op.create_table(
        "identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("transport", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=128), nullable=True),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_identities_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identities")),
        sa.UniqueConstraint("transport", "external_id", name=op.f("uq_identities_transport")),
    )
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identities_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identities_user_id"))

    op.drop_table("identities")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_user_id"))
        batch_op.drop_index("ix_events_kind_created")

    op.drop_table("events")
    op.drop_table("conversation_states")
    op.drop_table("users")
