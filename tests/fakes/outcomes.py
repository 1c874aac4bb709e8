"""Outcome history for specs that need a creator with numbers: real post jobs (so the
checks have their targets) and day-one check rows with the given results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.bootstrap import Core
from core.outcomes.checker import DONE
from core.outcomes.models import PostCheck
from core.posting.service import PostingService, TargetSpec
from core.reddit.types import PostRequest


@dataclass(frozen=True)
class Outcome:
    subreddit: str
    posted_at: datetime
    score: int
    comments: int = 0
    removed: str | None = None
    title: str = "A post"


async def record_outcomes(core: Core, user_id: int, account_id: int,
                          outcomes: list[Outcome]) -> None:
    async with core.db.session() as session:  # room for the jobs on any plan
        (await core.users.get(session, user_id)).tier = "premium"  # type: ignore[union-attr]
    posting = PostingService(core)
    for n, o in enumerate(outcomes):
        job = await posting.create_job(
            user_id=user_id, account_id=account_id,
            request=PostRequest(o.subreddit, "text", o.title, body="hi"),
            targets=[TargetSpec(o.subreddit, o.title)], due_at=core.clock.now())
        async with core.db.session() as session:
            session.add(PostCheck(
                target_id=job.targets[0].id, user_id=user_id, account_id=account_id,
                reddit_id=f"o{n}", subreddit=o.subreddit, title=o.title, label="24h",
                posted_at=o.posted_at, not_before=o.posted_at, state=DONE, attempts=1,
                checked_at=o.posted_at, score=o.score, num_comments=o.comments,
                removed=o.removed, updated_at=o.posted_at))
