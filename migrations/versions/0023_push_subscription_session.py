"""push subscriptions remember the web session that registered them
(`push_subscriptions.session_id_hash`, as `web_sessions.id_hash`), so signing that
session out, or another person signing in in that browser, forgets the device: a shared
phone or computer no longer shows the previous person's notices. Existing rows keep NULL
(no session known); signing out everywhere still forgets them.

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("push_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_id_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_push_subscriptions_session_id_hash"),
                              ["session_id_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("push_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_push_subscriptions_session_id_hash"))
        batch_op.drop_column("session_id_hash")
