"""The live launch dashboard's numbers (/admin/live): cheap enough to read every few
seconds for each admin watching.

Today (UTC, from midnight): sign-ups, active users, captions, posts and errors, counted
from the events of the day (one grouped query on the indexed `created_at`); revenue is
the live MRR (`core.analytics.revenue`); load is the machine's load per CPU and the
scheduler's due queue; open alerts are the incidents `core.analytics.alerts` has open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics.alerts import OPEN, claim_name
from core.analytics.alerts_signals import load_per_cpu
from core.analytics.models import JobClaim
from core.analytics.revenue import revenue
from core.analytics.sql import active_between, start_of
from core.billing.tiers import Plans
from core.db.models import Event
from core.events import EventKind
from core.posting.models import PostTarget, State

COUNTED = {
    EventKind.SIGNUP: "signups",
    EventKind.CAPTION_GENERATED: "captions",
    EventKind.POSTED: "posts",
    EventKind.POST_RECOVERED: "posts",  # posted, found on Reddit after a crash
    EventKind.ERROR: "errors",
}


@dataclass(frozen=True)
class Snapshot:
    at: str  # ISO time of the reading
    signups: int
    active: int  # users with any event today
    captions: int
    posts: int
    errors: int
    mrr: float
    paying: int
    load: float  # 1-minute load average per CPU
    queue: int  # scheduled posts due now and waiting
    alerts: list[str]  # kinds of the open incidents (error_rate, p99, load, backlog)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


async def snapshot(session: AsyncSession, plans: Plans, now: datetime,
                   load: Callable[[], float] = load_per_cpu) -> Snapshot:
    today = now.date()
    start, end = start_of(today), start_of(today + timedelta(days=1))
    counts = dict.fromkeys(COUNTED.values(), 0)
    rows = await session.execute(
        select(Event.kind, func.count()).where(
            Event.created_at >= start, Event.created_at < end,
            Event.kind.in_(list(COUNTED))).group_by(Event.kind))
    for kind, n in rows:
        counts[COUNTED[EventKind(kind)]] += int(n)
    active = int(await session.scalar(active_between(start, end)) or 0)
    money = await revenue(session, plans, today, now)
    queue = int(await session.scalar(
        select(func.count()).select_from(PostTarget).where(
            PostTarget.state == State.QUEUED, PostTarget.not_before <= now)) or 0)
    prefix = claim_name("")
    alerts = sorted(name.removeprefix(prefix) for name in await session.scalars(
        select(JobClaim.name).where(JobClaim.name.startswith(prefix, autoescape=True),
                                    JobClaim.period == OPEN)))
    return Snapshot(at=now.isoformat(), active=active, mrr=money.mrr, paying=money.paying,
                    load=round(load(), 2), queue=queue, alerts=alerts, **counts)
