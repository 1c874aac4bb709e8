"""referrals and pay-as-you-go: referral codes, the referral ledger, closed monthly bills,
and an index for finding usage not yet reported to Stripe

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.base.UTCDateTime


def _user_fk(table: str, column: str = "user_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"],
                                   name=op.f(f"fk_{table}_{column}_users"), ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "referral_codes",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        _user_fk("referral_codes"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_referral_codes")),
        sa.UniqueConstraint("code", name=op.f("uq_referral_codes_code")),
    )
    op.create_table(
        "referrals",
        sa.Column("referred_id", sa.Integer(), nullable=False),
        sa.Column("referrer_id", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reward", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("free_tier", sa.String(length=16), nullable=True),
        sa.Column("free_days", sa.Integer(), nullable=True),
        sa.Column("applied_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("earned_at", UTC(timezone=True), nullable=True),
        sa.Column("earned_ref", sa.String(length=160), nullable=True),
        sa.Column("paid_at", UTC(timezone=True), nullable=True),
        _user_fk("referrals", "referred_id"),
        _user_fk("referrals", "referrer_id"),
        sa.PrimaryKeyConstraint("referred_id", name=op.f("pk_referrals")),
    )
    op.create_index("ix_referrals_referrer_status", "referrals", ["referrer_id", "status"],
                    unique=False)
    op.create_table(
        "monthly_bills",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal_minor", sa.Integer(), nullable=False),
        sa.Column("credit_minor", sa.Integer(), nullable=False),
        sa.Column("total_minor", sa.Integer(), nullable=False),
        sa.Column("closed_at", UTC(timezone=True), nullable=False),
        _user_fk("monthly_bills"),
        sa.PrimaryKeyConstraint("user_id", "month", name=op.f("pk_monthly_bills")),
    )
    op.create_index("ix_usage_records_tier_reported", "usage_records",
                    ["tier", "reported_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_usage_records_tier_reported", table_name="usage_records")
    op.drop_table("monthly_bills")
    op.drop_index("ix_referrals_referrer_status", table_name="referrals")
    op.drop_table("referrals")
    op.drop_table("referral_codes")
