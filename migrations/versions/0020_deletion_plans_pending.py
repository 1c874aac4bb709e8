"""account deletions remember the card plans Stripe has not cancelled yet
(`plans_pending`, a JSON list of subscription ids), so the daily purge run retries
them until Stripe has (core.privacy.plans)

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.db.base import JSONType

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("account_deletions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plans_pending", JSONType, nullable=False,
                                      server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("account_deletions", schema=None) as batch_op:
        batch_op.drop_column("plans_pending")
