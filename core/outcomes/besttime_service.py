"""Gathers what the best-time model needs: the creator's outcomes and the crowd's.

The creator's half is their own post checks in this subreddit (latest reading per post,
removed posts left out). The crowd's half is the subreddit's recent top (month) and new
posts as a logged-out reader sees them: two requests from the shared Reddit budget,
stored in `subreddit_activity` and refreshed at most daily. When the budget is spent or
Reddit is down, stale data or the documented default is used: best time never waits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from core.outcomes import besttime as bt
from core.outcomes.checker import DONE
from core.outcomes.models import PostCheck, SubredditActivity
from core.posting.budget import ApiBudgetLedger
from core.reddit.types import subreddit_key

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)
FRESH = timedelta(hours=24)
LISTING = 100


@dataclass(frozen=True)
class BestTimePlan:
    subreddit: str
    slots: list[bt.Slot]
    own_posts: int
    source: str  # "own" | "blend" | "crowd" | "default"


class BestTimeService:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.budget = ApiBudgetLedger.for_core(core)

    async def plan(self, user_id: int, subreddit: str, *, nsfw: bool, tz: ZoneInfo,
                   count: int = 3, look_up: bool = True, horizon: timedelta | None = None
                   ) -> BestTimePlan:
        """The best hours ahead, within `horizon` (the creator's scheduling horizon)."""
        now = self.core.clock.now()
        key = subreddit_key(subreddit)
        own_posts = await self._own(user_id, key)
        own, n = bt.own_grid(own_posts, tz)
        crowd_posts = await self._crowd(key, look_up)
        activity = bt.activity_grid(crowd_posts, tz) if crowd_posts else None
        prior = activity or bt.default_grid(nsfw, tz, now)
        grid = bt.blend(own, n, prior)
        source = ("own" if n >= bt.PRIOR_POSTS * 2 else "blend" if n else
                  "crowd" if activity else "default")
        slots = bt.next_slots(grid, tz, now, count=count, own=own if n else None,
                              activity=activity, default=source == "default",
                              horizon=horizon)
        return BestTimePlan(key, slots, n, source)

    async def grid(self, user_id: int, subreddit: str, *, nsfw: bool,
                   tz: ZoneInfo) -> bt.Grid:
        """The blended week without asking Reddit (stored activity or the default): for
        the engagement score, which must not wait on the network."""
        key = subreddit_key(subreddit)
        own, n = bt.own_grid(await self._own(user_id, key), tz)
        crowd_posts = await self._crowd(key, look_up=False)
        activity = bt.activity_grid(crowd_posts, tz) if crowd_posts else None
        return bt.blend(own, n, activity or bt.default_grid(nsfw, tz, self.core.clock.now()))

    async def next_time(self, user_id: int, subreddit: str, *, nsfw: bool,
                        tz: ZoneInfo, horizon: timedelta | None = None) -> datetime | None:
        """The single best hour of the coming week within `horizon`, the creator's
        scheduling horizon (what /post's Best time queues); None: no hour fits."""
        plan = await self.plan(user_id, subreddit, nsfw=nsfw, tz=tz, count=1,
                               horizon=horizon)
        return plan.slots[0].at if plan.slots else None

    async def _own(self, user_id: int, key: str) -> list[bt.Observation]:
        latest = (select(PostCheck.target_id, func.max(PostCheck.checked_at).label("at"))
                  .where(PostCheck.user_id == user_id, PostCheck.state == DONE,
                         func.lower(PostCheck.subreddit) == key)
                  .group_by(PostCheck.target_id).subquery())
        async with self.core.db.read() as session:
            rows = (await session.execute(
                select(PostCheck.posted_at, PostCheck.score, PostCheck.removed)
                .join(latest, (PostCheck.target_id == latest.c.target_id)
                      & (PostCheck.checked_at == latest.c.at)))).all()
        return [bt.Observation(at, float(score or 0)) for at, score, removed in rows
                if removed is None]

    async def _crowd(self, key: str, look_up: bool) -> list[bt.Observation]:
        now = self.core.clock.now()
        async with self.core.db.read() as session:
            row = await session.get(SubredditActivity, key)
            stored = (list(row.posts.get("posts", [])), row.fetched_at) if row else None
        if stored is not None and (now - stored[1] < FRESH or not look_up):
            return _observations(stored[0])
        if not look_up or not self.core.reddit.clients.configured:
            return _observations(stored[0]) if stored else []
        if await self.budget.reserve(2) > 0:
            return _observations(stored[0]) if stored else []
        try:
            posts = await self._fetch(key)
        except Exception as exc:  # Reddit down: what we had, or the default
            log.warning("activity of r/%s unavailable: %r", key, exc)
            return _observations(stored[0]) if stored else []
        async with self.core.db.session() as session:
            row = await session.get(SubredditActivity, key)
            if row is None:
                session.add(SubredditActivity(subreddit=key, posts={"posts": posts},
                                              fetched_at=now))
            else:
                row.posts, row.fetched_at = {"posts": posts}, now
        return _observations(posts)

    async def _fetch(self, key: str) -> list[list[float]]:
        async with self.core.reddit.clients.open_reader() as reader:
            sub = await reader.subreddit(key)
            seen: dict[str, list[float]] = {}
            async for item in sub.top(time_filter="month", limit=LISTING):
                seen[item.id] = [float(item.created_utc), float(item.score)]
            async for item in sub.new(limit=LISTING):
                seen.setdefault(item.id, [float(item.created_utc), float(item.score)])
        return list(seen.values())


def _observations(posts: list[list[float]]) -> list[bt.Observation]:
    return [bt.Observation(datetime.fromtimestamp(ts, UTC), score) for ts, score in posts]
