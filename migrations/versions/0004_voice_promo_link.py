"""caption voices: the creator's own promo link

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch mode: SQLite cannot alter tables in place (a no-op wrapper on PostgreSQL)
    with op.batch_alter_table("caption_voices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promo_link", sa.String(length=256), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("caption_voices", schema=None) as batch_op:
        batch_op.drop_column("promo_link")
