"""A creator's post performance: headline numbers and breakdowns by subreddit, hour and
weekday in their zone, from the outcome checks (latest reading per post). One shape for
the chat's /stats (with `core.outcomes.chart`) and the web dashboard's JSON.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from core.outcomes.checker import DONE
from core.outcomes.models import PostCheck

if TYPE_CHECKING:
    from core.bootstrap import Core

PERIOD = timedelta(days=90)


@dataclass(frozen=True)
class Bucket:
    key: str
    posts: int
    median_score: float
    removed: int


@dataclass(frozen=True)
class Stats:
    zone: str
    since: datetime
    posts: int
    median_score: float
    best_score: int
    removed: int
    comments: int
    by_subreddit: list[Bucket] = field(default_factory=list)  # most posts first
    by_hour: list[float] = field(default_factory=list)  # 24 medians (0 = no posts)
    by_weekday: list[float] = field(default_factory=list)  # 7 medians, Monday first

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["since"] = self.since.isoformat()
        return data


async def creator_stats(core: Core, user_id: int, zone: str) -> Stats:
    tz = ZoneInfo(zone)
    since = core.clock.now() - PERIOD
    latest = (select(PostCheck.target_id, func.max(PostCheck.checked_at).label("at"))
              .where(PostCheck.user_id == user_id, PostCheck.state == DONE,
                     PostCheck.posted_at >= since)
              .group_by(PostCheck.target_id).subquery())
    async with core.db.read() as session:
        rows = (await session.execute(
            select(PostCheck.subreddit, PostCheck.posted_at, PostCheck.score,
                   PostCheck.num_comments, PostCheck.removed)
            .join(latest, (PostCheck.target_id == latest.c.target_id)
                  & (PostCheck.checked_at == latest.c.at)))).all()
    scores = [float(r.score or 0) for r in rows]
    subs: dict[str, list[Any]] = defaultdict(list)
    hours: dict[int, list[float]] = defaultdict(list)
    days: dict[int, list[float]] = defaultdict(list)
    for r in rows:
        subs[r.subreddit.lower()].append(r)
        if r.removed is None:
            local = r.posted_at.astimezone(tz)
            hours[local.hour].append(float(r.score or 0))
            days[local.weekday()].append(float(r.score or 0))
    buckets = sorted((Bucket(sub, len(rs), _median([float(x.score or 0) for x in rs]),
                             sum(1 for x in rs if x.removed)) for sub, rs in subs.items()),
                     key=lambda b: (-b.posts, b.key))
    return Stats(zone=zone, since=since, posts=len(rows), median_score=_median(scores),
                 best_score=int(max(scores, default=0)),
                 removed=sum(1 for r in rows if r.removed),
                 comments=sum(int(r.num_comments or 0) for r in rows),
                 by_subreddit=buckets,
                 by_hour=[_median(hours[h]) for h in range(24)],
                 by_weekday=[_median(days[d]) for d in range(7)])


def _median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else 0.0
