"""communities: the channel a Discord server picked for post announcements

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "announcement_channels",
        sa.Column("transport", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("transport", "community_id",
                                name=op.f("pk_announcement_channels")),
    )


def downgrade() -> None:
    op.drop_table("announcement_channels")
