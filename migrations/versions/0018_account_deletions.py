"""account deletions: a person's request to delete their account, purged (every row of
theirs gone) after the grace period unless they restore it (core.privacy)

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.db.base import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_deletions",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("purge_after", UTCDateTime(), nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
    )
    op.create_index("ix_account_deletions_purge_after", "account_deletions", ["purge_after"])


def downgrade() -> None:
    op.drop_index("ix_account_deletions_purge_after", table_name="account_deletions")
    op.drop_table("account_deletions")
