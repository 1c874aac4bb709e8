"""referrals outlive their referrer: `referrals.referrer_id` becomes nullable, ON DELETE
SET NULL, so purging a referrer keeps the referred people's rows (their sign-up
attribution) with the referrer detached, instead of deleting them with the referrer

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = "fk_referrals_referrer_id_users"


def _referrer(nullable: bool, ondelete: str) -> None:
    # batch mode: SQLite rebuilds the table (a plain ALTER on PostgreSQL)
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.alter_column("referrer_id", existing_type=sa.Integer(), nullable=nullable)
        batch_op.create_foreign_key(FK, "users", ["referrer_id"], ["id"], ondelete=ondelete)


def upgrade() -> None:
    _referrer(True, "SET NULL")


def downgrade() -> None:
    op.execute("DELETE FROM referrals WHERE referrer_id IS NULL")  # nobody to attribute to
    _referrer(False, "CASCADE")
