"""Tracked errors: one row per fingerprint (exception type + normalised frames)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class ErrorReport(Base):
    """An unhandled error seen `count` times between `first_seen` and `last_seen`;
    `context` is the latest occurrence's (where, route or handler, user id)."""

    __tablename__ = "error_reports"
    __table_args__ = (Index("ix_error_reports_last_seen", "last_seen"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    where: Mapped[str] = mapped_column(String(16))  # bot | web | job
    error_type: Mapped[str] = mapped_column(String(128))
    message: Mapped[str] = mapped_column(Text, default="")
    frames: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)
    count: Mapped[int] = mapped_column(default=1)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]


class ArchivedEvent(Base):
    """An event older than the archive horizon, moved here by the daily archival job
    (core.analytics.archive) with its id; the reports read both tables where history
    matters (the funnel)."""

    __tablename__ = "events_archive"
    __table_args__ = (Index("ix_events_archive_user_kind", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    user_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    transport: Mapped[str | None] = mapped_column(String(16))
    session_id: Mapped[str | None] = mapped_column(String(64))


class JobClaim(Base):
    """A periodic job's run, claimed by the first process to insert it: (name, period)
    is unique, so of many processes woken by the same schedule one does the work."""

    __tablename__ = "job_claims"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(32), primary_key=True)
    claimed_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
