"""experiments: exposures of A/B test variants and the conversions that follow

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.base

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.base.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "experiment_exposures",
        sa.Column("experiment", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.String(length=64), nullable=False),
        sa.Column("exposed_at", UTC(timezone=True), nullable=False),
        sa.Column("converted_at", UTC(timezone=True), nullable=True),
        sa.Column("conversion_ref", sa.String(length=160), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_experiment_exposures_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("experiment", "user_id",
                                name=op.f("pk_experiment_exposures")),
    )
    op.create_index("ix_experiment_exposures_user", "experiment_exposures", ["user_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_experiment_exposures_user", table_name="experiment_exposures")
    op.drop_table("experiment_exposures")
