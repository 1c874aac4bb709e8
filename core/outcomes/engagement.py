"""The engagement score of a draft for one creator and subreddit, with its reasons.

The hot path (`score`) only reads: the creator's stored model (or the transparent
baseline), their median score in the subreddit, and the best-time grid without asking
Reddit. Refitting (`refit`) reads every live post of theirs with day-one numbers and
runs in the outcome worker after a 24 h check, never in a chat turn.
"""

from __future__ import annotations

import asyncio
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from core.outcomes import besttime as bt
from core.outcomes.besttime_service import BestTimeService
from core.outcomes.checker import DONE
from core.outcomes.features import NAMES, Draft, vector
from core.outcomes.models import EngagementModel, PostCheck
from core.outcomes.predictor import Model, Reason, explain, fit
from core.outcomes.schedule import LAST as DAY_ONE
from core.posting.models import PostJob, PostMedia, PostTarget

if TYPE_CHECKING:
    from core.bootstrap import Core


@dataclass(frozen=True)
class Scored:
    score: int  # 0-100: chance in percent of beating the creator's median here
    reasons: list[Reason]
    fitted_on: int  # 0: the transparent baseline


class EngagementService:
    def __init__(self, core: Core) -> None:
        self.core = core

    async def score(self, user_id: int, subreddit: str, title: str, *, at: datetime,
                    tz: ZoneInfo, images: int = 0, nsfw: bool = False) -> Scored:
        grid = await BestTimeService(self.core).grid(user_id, subreddit, nsfw=nsfw, tz=tz)
        return await self._score(grid, user_id, subreddit, title, at=at, tz=tz,
                                 images=images, nsfw=nsfw)

    async def score_at_best(self, user_id: int, subreddit: str, title: str, *, tz: ZoneInfo,
                            images: int = 0, nsfw: bool = False) -> tuple[Scored, datetime]:
        """The score if it goes out at this subreddit's best hour (what Best time picks
        from stored data), and that hour; the week's grid is read once for both."""
        grid = await BestTimeService(self.core).grid(user_id, subreddit, nsfw=nsfw, tz=tz)
        [slot] = bt.next_slots(grid, tz, self.core.clock.now(), count=1)
        scored = await self._score(grid, user_id, subreddit, title, at=slot.at, tz=tz,
                                   images=images, nsfw=nsfw)
        return scored, slot.at

    async def _score(self, grid: bt.Grid, user_id: int, subreddit: str, title: str, *,
                     at: datetime, tz: ZoneInfo, images: int, nsfw: bool) -> Scored:
        medians = await self._medians(user_id)
        async with self.core.db.read() as session:
            rules = await self.core.reddit.subreddits.lookup(session, subreddit)
        draft = Draft(title=title, hour_lift=grid[bt.cell(at, tz)],
                      weekend=at.astimezone(tz).weekday() >= 5, images=images, nsfw=nsfw,
                      subscribers=rules.subscribers,
                      past_median=medians.get(subreddit.lower(), 0.0))
        model = await self.model(user_id)
        return Scored(model.score(draft), explain(model, draft), model.fitted_on)

    async def model(self, user_id: int) -> Model:
        async with self.core.db.read() as session:
            row = await session.get(EngagementModel, user_id)
            if row is None:
                return Model.baseline()
            return Model(row.bias, tuple(float(row.weights.get(n, 0.0)) for n in NAMES),
                         row.fitted_on)

    async def _medians(self, user_id: int) -> dict[str, float]:
        async with self.core.db.read() as session:
            rows = (await session.execute(select(PostCheck.subreddit, PostCheck.score).where(
                PostCheck.user_id == user_id, PostCheck.label == DAY_ONE,
                PostCheck.state == DONE, PostCheck.removed.is_(None)))).all()
        by_sub: dict[str, list[float]] = defaultdict(list)
        for sub, score in rows:
            by_sub[sub.lower()].append(float(score or 0))
        return {sub: statistics.median(scores) for sub, scores in by_sub.items()}

    async def refit(self, user_id: int, tz: ZoneInfo) -> Model:
        """Refit on every post with day-one numbers; stored for `score` to read."""
        async with self.core.db.read() as session:
            rows = (await session.execute(
                select(PostCheck.subreddit, PostCheck.title, PostCheck.posted_at,
                       PostCheck.score, PostJob.nsfw, func.count(PostMedia.id))
                .join(PostTarget, PostTarget.id == PostCheck.target_id)
                .join(PostJob, PostJob.id == PostTarget.job_id)
                .outerjoin(PostMedia, PostMedia.target_id == PostTarget.id)
                .where(PostCheck.user_id == user_id, PostCheck.label == DAY_ONE,
                       PostCheck.state == DONE, PostCheck.removed.is_(None))
                .group_by(PostCheck.id, PostJob.nsfw))).all()
        medians = await self._medians(user_id)
        service = BestTimeService(self.core)
        grids: dict[tuple[str, bool], bt.Grid] = {}
        data: list[tuple[list[float], bool]] = []
        for sub, title, posted_at, score, nsfw, images in rows:
            key = (sub.lower(), bool(nsfw))
            if key not in grids:
                grids[key] = await service.grid(user_id, sub, nsfw=bool(nsfw), tz=tz)
            median = medians.get(sub.lower(), 0.0)
            draft = Draft(title=title, hour_lift=grids[key][bt.cell(posted_at, tz)],
                          weekend=posted_at.astimezone(tz).weekday() >= 5,
                          images=int(images), nsfw=bool(nsfw), past_median=median)
            data.append((vector(draft), float(score or 0) > median))
        # Pure-Python gradient descent: up to a second for a busy creator, so it runs in a
        # worker thread, never on the event loop that serves chats and the web.
        model = await asyncio.to_thread(fit, data)
        if model.fitted_on:
            now = self.core.clock.now()
            async with self.core.db.session() as session:
                row = await session.get(EngagementModel, user_id)
                weights = dict(zip(NAMES, model.weights, strict=True))
                if row is None:
                    session.add(EngagementModel(user_id=user_id, bias=model.bias,
                                                weights=weights, fitted_on=model.fitted_on,
                                                updated_at=now))
                else:
                    row.bias, row.weights, row.fitted_on = model.bias, weights, model.fitted_on
                    row.updated_at = now
        return model
