"""The founders' reports: active users, the funnel, weekly retention, feature adoption.

Everything counts live users only (soft-deleted ones are left out) in UTC days. Each
report takes `today`, the day it is for (included, as far as it has gone); tests pin
it, the dashboard passes the clock's date. Revenue is in `core.analytics.revenue`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics.sql import (
    active_between,
    day_of,
    dialect_of,
    did,
    live_users,
    monday,
    start_of,
)
from core.billing.models import Entitlement
from core.db.models import Event, User
from core.events import EventKind

PAID_SOURCES = ("stripe", "stars")


@dataclass(frozen=True)
class Active:
    dau: int
    wau: int
    mau: int


@dataclass(frozen=True)
class Stage:
    name: str
    users: int


@dataclass(frozen=True)
class Cohort:
    week: date  # the Monday of the sign-up week
    size: int
    retained: tuple[int, ...]  # active users in week 0, 1, 2, ... after sign-up


async def active(session: AsyncSession, today: date) -> Active:
    """Users active on `today`, in the 7 and the 30 days ending with it."""
    end = start_of(today + timedelta(days=1))

    async def over(days: int) -> int:
        return int(await session.scalar(active_between(end - timedelta(days=days), end)) or 0)

    return Active(dau=await over(1), wau=await over(7), mau=await over(30))


async def daily_active(session: AsyncSession, today: date, days: int = 30
                       ) -> list[tuple[date, int]]:
    """DAU for each of the `days` days ending with `today` (zero days included)."""
    first = today - timedelta(days=days - 1)
    day = day_of(Event.created_at, dialect_of(session))
    rows = await session.execute(
        select(day, func.count(func.distinct(Event.user_id)))
        .join(User, User.id == Event.user_id)
        .where(live_users(), Event.created_at >= start_of(first),
               Event.created_at < start_of(today + timedelta(days=1)))
        .group_by(day))
    counts = {str(d): int(n) for d, n in rows}
    return [(first + timedelta(days=i), counts.get(str(first + timedelta(days=i)), 0))
            for i in range(days)]


async def funnel(session: AsyncSession) -> list[Stage]:
    """Sign-up → onboarding done → first caption → first post → paid; each stage counts
    the users who reached it and every stage before it."""
    paid = exists().where(and_(Entitlement.user_id == User.id,
                               Entitlement.source.in_(PAID_SOURCES)))
    steps = [
        ("signup", did(EventKind.SIGNUP)),
        ("onboarded", User.onboarded_at.is_not(None)),
        ("first caption", did(EventKind.CAPTION_GENERATED)),
        ("first post", did((EventKind.POSTED, EventKind.POST_RECOVERED))),
        ("paid", paid),
    ]
    stages, conditions = [], [live_users()]
    for name, condition in steps:
        conditions.append(condition)
        n = await session.scalar(select(func.count()).select_from(User).where(*conditions))
        stages.append(Stage(name, int(n or 0)))
    return stages


async def cohorts(session: AsyncSession, today: date, weeks: int = 8) -> list[Cohort]:
    """Weekly sign-up cohorts of the last `weeks` weeks and how many of each were
    active in each week since (week 0 = the sign-up week)."""
    this_week = monday(today)
    first = this_week - timedelta(weeks=weeks - 1)
    dialect = dialect_of(session)
    signed = {uid: created.date() for uid, created in await session.execute(
        select(User.id, User.created_at).where(live_users(),
                                               User.created_at >= start_of(first)))}
    day = day_of(Event.created_at, dialect)
    seen = await session.execute(
        select(Event.user_id, day).where(Event.user_id.in_(list(signed)),
                                         Event.created_at >= start_of(first))
        .group_by(Event.user_id, day))
    active_weeks: dict[int, set[int]] = {}
    for uid, d in seen:
        cohort = monday(signed[uid])
        active_weeks.setdefault(uid, set()).add(
            (monday(date.fromisoformat(str(d))) - cohort).days // 7)
    result = []
    for i in range(weeks):
        week = first + timedelta(weeks=i)
        members = [u for u, d in signed.items() if monday(d) == week]
        span = (this_week - week).days // 7 + 1
        retained = tuple(sum(1 for u in members if k in active_weeks.get(u, ()))
                         for k in range(span))
        result.append(Cohort(week, len(members), retained))
    return result


async def adoption(session: AsyncSession, today: date, days: int = 30
                   ) -> list[tuple[str, int, int]]:
    """(feature, users who used it, active users) over the `days` ending with `today`,
    most used first."""
    end = start_of(today + timedelta(days=1))
    start = end - timedelta(days=days)
    feature = Event.data["feature"].as_string()
    rows = await session.execute(
        select(feature, func.count(func.distinct(Event.user_id)))
        .join(User, User.id == Event.user_id)
        .where(live_users(), Event.kind == EventKind.FEATURE_USED,
               Event.created_at >= start, Event.created_at < end)
        .group_by(feature))
    total = int(await session.scalar(active_between(start, end)) or 0)
    return sorted(((str(f), int(n), total) for f, n in rows if f), key=lambda r: (-r[1], r[0]))
