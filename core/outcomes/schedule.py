"""When a live post is looked at: about 1 h, 6 h and 24 h after it went up.

`plan_checks` runs inside the transaction that marks the target posted, so a post never
goes live without its checks, and a repeat (a recovered post) adds nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.db.upsert import insert_for
from core.outcomes.models import PostCheck
from core.posting.models import State

CHECKPOINTS: tuple[tuple[str, timedelta], ...] = (
    ("1h", timedelta(hours=1)), ("6h", timedelta(hours=6)), ("24h", timedelta(hours=24)))
FIRST = CHECKPOINTS[0][0]  # the one that also looks for the post in the new listing
LAST = CHECKPOINTS[-1][0]  # day-one numbers: what the engagement model learns from


async def plan_checks(session: AsyncSession, now: datetime, *, target_id: int, user_id: int,
                      account_id: int, reddit_id: str, subreddit: str, title: str) -> None:
    insert = insert_for(session)
    for label, after in CHECKPOINTS:
        await session.execute(insert(PostCheck).values(
            target_id=target_id, user_id=user_id, account_id=account_id, reddit_id=reddit_id,
            subreddit=subreddit, title=title[:320], label=label, posted_at=now,
            not_before=now + after, state=State.QUEUED, attempts=0, updated_at=now,
        ).on_conflict_do_nothing(index_elements=["target_id", "label"]))
