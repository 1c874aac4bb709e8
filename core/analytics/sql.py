"""SQL pieces the reports share, written once for SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.analytics.models import ArchivedEvent
from core.db.models import Event, User


def day_of(column: InstrumentedAttribute[datetime], dialect: str) -> ColumnElement[Any]:
    """The UTC calendar day of a timestamp as 'YYYY-MM-DD' on either database."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.date(column)  # SQLite stores UTC already


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def live_users() -> ColumnElement[bool]:
    """Soft-deleted users count nowhere."""
    return User.deleted_at.is_(None)


def active_between(start: datetime, end: datetime) -> Select[int]:
    """Distinct live users with any event in [start, end)."""
    return (select(func.count(func.distinct(Event.user_id)))
            .join(User, User.id == Event.user_id)
            .where(live_users(), Event.created_at >= start, Event.created_at < end))


def did(kind: str | tuple[str, ...]) -> ColumnElement[bool]:
    """The user (of the enclosing query on `users`) has an event of `kind`, live or
    archived (the funnel is about all of history)."""
    kinds = (kind,) if isinstance(kind, str) else kind
    return or_(exists().where(and_(Event.user_id == User.id, Event.kind.in_(kinds))),
               exists().where(and_(ArchivedEvent.user_id == User.id,
                                   ArchivedEvent.kind.in_(kinds))))


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name
