"""billing: quota counters, metered usage, tier entitlements, customers, processed events

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.base.UTCDateTime


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                   name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "usage_counters",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("meter", sa.String(length=16), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        _user_fk("usage_counters"),
        sa.PrimaryKeyConstraint("user_id", "meter", "day", name=op.f("pk_usage_counters")),
    )
    op.create_table(
        "usage_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("meter", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("reported_at", UTC(timezone=True), nullable=True),
        _user_fk("usage_records"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_records")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_usage_records_idempotency_key")),
    )
    op.create_index("ix_usage_records_user_created", "usage_records",
                    ["user_id", "created_at"], unique=False)
    op.create_table(
        "entitlements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_ref", sa.String(length=128), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("starts_at", UTC(timezone=True), nullable=False),
        sa.Column("ends_at", UTC(timezone=True), nullable=True),
        sa.Column("data", sa.JSON().with_variant(
            sa.dialects.postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        _user_fk("entitlements"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entitlements")),
        sa.UniqueConstraint("source", "source_ref", name=op.f("uq_entitlements_source")),
    )
    op.create_index(op.f("ix_entitlements_user_id"), "entitlements", ["user_id"], unique=False)
    op.create_table(
        "billing_customers",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        _user_fk("billing_customers"),
        sa.PrimaryKeyConstraint("user_id", "provider", name=op.f("pk_billing_customers")),
        sa.UniqueConstraint("provider", "customer_id", name=op.f("uq_billing_customers_provider")),
    )
    op.create_table(
        "billing_events",
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("processed_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider", "event_id", name=op.f("pk_billing_events")),
    )


def downgrade() -> None:
    op.drop_table("billing_events")
    op.drop_table("billing_customers")
    op.drop_index(op.f("ix_entitlements_user_id"), table_name="entitlements")
    op.drop_table("entitlements")
    op.drop_index("ix_usage_records_user_created", table_name="usage_records")
    op.drop_table("usage_records")
    op.drop_table("usage_counters")
