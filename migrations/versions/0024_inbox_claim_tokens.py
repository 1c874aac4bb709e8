"""inbox: a fresh token per claim

`inbound_updates.claim_token` is set by every claim and checked by every later write
about the row (renew, finish, hand back), so a run whose lease lapsed (its renewals
failed: the connection pool was exhausted) can no longer mark the row the next claim
holds. Existing rows: no token (a row running at the upgrade lapses and is processed
again, as after any restart).

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbound_updates", schema=None) as batch_op:
        batch_op.drop_column("claim_token")
