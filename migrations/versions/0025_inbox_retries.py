"""inbox: a count of the times an update was handed back for another try

`inbound_updates.retries` counts the times an update was handed back to be tried again
later (core.inbox.retry: the connection pool was exhausted), so those tries end: past
the cap it fails, and the person is told "busy" on the first retry only. Existing rows
start at none.

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retries", sa.Integer(), server_default="0",
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("inbound_updates", schema=None) as batch_op:
        batch_op.drop_column("retries")
