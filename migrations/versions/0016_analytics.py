"""analytics: events carry transport and session id; tracked errors (error_reports);
the events archive and periodic job claims (the daily archival);
indexes for the hot queries (active users, live users, the worker's due scan, MRR),
partial on PostgreSQL, and GIN indexes there (event data; full-text user names)

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db.base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("transport", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("session_id", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_events_created_user", ["created_at", "user_id"])
    op.create_table(
        "error_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("where", sa.String(length=16), nullable=False),
        sa.Column("error_type", sa.String(length=128), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("frames", sa.Text(), nullable=False),
        sa.Column("context", core.db.base.JSONType, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_error_reports")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_error_reports_fingerprint")),
    )
    op.create_index("ix_error_reports_last_seen", "error_reports", ["last_seen"])
    op.create_table(
        "events_archive",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("data", core.db.base.JSONType, nullable=False),
        sa.Column("created_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("transport", sa.String(length=16), nullable=True),
        sa.Column("session_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_archive")),
    )
    op.create_index("ix_events_archive_user_kind", "events_archive", ["user_id", "kind"])
    op.create_table(
        "job_claims",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("claimed_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("result", core.db.base.JSONType, nullable=False),
        sa.PrimaryKeyConstraint("name", "period", name=op.f("pk_job_claims")),
    )
    op.create_index("ix_users_live_created", "users", ["created_at"],
                    postgresql_where=sa.text("deleted_at IS NULL"))
    op.create_index("ix_post_targets_queued_due", "post_targets", ["not_before"],
                    postgresql_where=sa.text("state = 'queued'"))
    op.create_index("ix_entitlements_status_ends", "entitlements", ["status", "ends_at"])
    if op.get_bind().dialect.name == "postgresql":  # full-text search of names
        op.execute("CREATE INDEX ix_users_display_name_fts ON users USING gin "
                   "(to_tsvector('simple', coalesce(display_name, '')))")
    # GIN on PostgreSQL (containment queries on event data); a plain index elsewhere.
    op.create_index("ix_events_data", "events", ["data"], postgresql_using="gin",
                    postgresql_ops={"data": "jsonb_path_ops"})


def downgrade() -> None:
    op.drop_index("ix_events_data", table_name="events")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_users_display_name_fts")
    op.drop_index("ix_entitlements_status_ends", table_name="entitlements")
    op.drop_index("ix_post_targets_queued_due", table_name="post_targets")
    op.drop_index("ix_users_live_created", table_name="users")
    op.drop_table("job_claims")
    op.drop_index("ix_events_archive_user_kind", table_name="events_archive")
    op.drop_table("events_archive")
    op.drop_index("ix_error_reports_last_seen", table_name="error_reports")
    op.drop_table("error_reports")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_created_user")
        batch_op.drop_column("session_id")
        batch_op.drop_column("transport")
