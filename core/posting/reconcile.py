"""Did an earlier attempt land after all? Asked before any retry of an attempted target.

An attempted target whose outcome we never recorded (the worker died between submit
and record, the answer was lost, a 5xx came back after Reddit made the post, a media
post whose websocket never confirmed) may be live. The account's own newest
submissions are the ground truth: a post in the same subreddit with the same title,
made since the first attempt (minus clock slack), that no other target already claims
as its own. Unlike `RedditService.recover`, "Reddit could not be asked" is its own
answer (`Unknown`), never "not there": a retry waits until Reddit can be asked.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.reddit.types import subreddit_key

if TYPE_CHECKING:
    import asyncpraw

SLACK = timedelta(minutes=10)  # our clock vs Reddit's `created_utc`
LOOKBACK = 100  # newest submissions of the account to read (one request)


class Unknown(Exception):
    """Reddit could not be asked; try again later, do not post."""


@dataclass(frozen=True)
class Landed:
    reddit_id: str
    permalink_path: str | None


async def find_landed(
    reddit: asyncpraw.Reddit,
    subreddit: str,
    title: str,
    since: datetime,
    taken: Collection[str] = (),
) -> Landed | None:
    """Our post of `title` in `subreddit`, if it is among the account's newest."""
    since_ts = (since - SLACK).timestamp()
    me = await reddit.user.me()
    if me is None:
        raise Unknown("no identity")
    want = subreddit_key(subreddit)
    async for submission in me.submissions.new(limit=LOOKBACK):
        if submission.created_utc < since_ts:
            break  # newest first: nothing older can be ours
        mine = str(submission.subreddit).lower() == want and submission.title == title
        if mine and submission.id not in taken:
            return Landed(submission.id, getattr(submission, "permalink", None))
    return None
