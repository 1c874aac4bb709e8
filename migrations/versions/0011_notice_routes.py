"""notice routes: where a creator's notices go first (the chat they last worked on a
post from) and the community whose announcement channel gets their "posted" news

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("notify_via", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("announce_in", sa.String(length=96), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("announce_in")
        batch.drop_column("notify_via")
