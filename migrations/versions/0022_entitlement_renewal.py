"""entitlements remember whether we asked their provider to stop renewing them
(`renewal`: NULL, "stop", "resume" or "stopped"), so a plan a better one replaced, or
a deleted account's Stars subscription, stops renewing even when the provider was down
at the time: the daily run asks again until it is done (core.billing.renewals)

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entitlements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("renewal", sa.String(length=16), nullable=True))
        batch_op.create_index("ix_entitlements_renewal", ["renewal"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("entitlements", schema=None) as batch_op:
        batch_op.drop_index("ix_entitlements_renewal")
        batch_op.drop_column("renewal")
