"""What one look at a live post tells: its numbers, and whether it was taken down.

Reddit shows a removal three ways, and we read all three:
- `removed_by_category` on the submission ("moderator", "automod_filtered", "reddit", …);
- a text post's body replaced by "[removed]";
- nothing on the post itself, but it is missing from the subreddit's new listing as
  other people see it while still in the author's own listing: the spam filter, or an
  account shadowban (`core.outcomes.health` tells which).

The listing look is made as a logged-out reader (`RedditClients.open_reader`), because
the author's own view includes posts nobody else can see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncpraw

NEW_LISTING = 100  # newest posts read to find ours (one request)

# removed_by_category -> our code; None: not a removal (the creator deleted it).
CATEGORIES: dict[str, str | None] = {
    "moderator": "moderator",
    "automod_filtered": "automod",
    "reddit": "reddit",
    "anti_evil_ops": "reddit",
    "community_ops": "reddit",
    "copyright_takedown": "reddit",
    "content_takedown": "reddit",
    "author": None,
    "deleted": None,
}
SPAM_FILTER = "spam_filter"


@dataclass(frozen=True)
class Reading:
    score: int
    upvote_ratio: float | None
    num_comments: int
    removed: str | None  # a CATEGORIES value or SPAM_FILTER; None: up (or self-deleted)
    deleted_by_author: bool = False
    created_utc: float | None = None


def read_submission(data: Any) -> Reading:
    """Translate a loaded asyncpraw Submission (or anything with its attributes)."""
    category = str(getattr(data, "removed_by_category", None) or "")
    removed = CATEGORIES.get(category, "reddit") if category else None
    deleted = bool(category) and removed is None
    if removed is None and not deleted and getattr(data, "selftext", "") == "[removed]":
        removed = "moderator"
    ratio = getattr(data, "upvote_ratio", None)
    return Reading(score=int(getattr(data, "score", 0) or 0),
                   upvote_ratio=float(ratio) if ratio is not None else None,
                   num_comments=int(getattr(data, "num_comments", 0) or 0),
                   removed=removed, deleted_by_author=deleted,
                   created_utc=getattr(data, "created_utc", None))


async def read_post(reddit: asyncpraw.Reddit, reddit_id: str) -> Reading:
    """One request: the submission as its author's client sees it."""
    submission = await reddit.submission(reddit_id)
    return read_submission(submission)


async def visible_in_new(reader: asyncpraw.Reddit, subreddit: str, reddit_id: str,
                         created_utc: float) -> bool | None:
    """Is the post in r/<subreddit>/new for a logged-out reader? None when the listing
    can't tell (the post is older than everything the listing still shows)."""
    sub = await reader.subreddit(subreddit)
    oldest: float | None = None
    async for item in sub.new(limit=NEW_LISTING):
        if item.id == reddit_id:
            return True
        oldest = item.created_utc if oldest is None else min(oldest, item.created_utc)
    if oldest is not None and oldest > created_utc:
        return None  # fell off the listing's end: no evidence either way
    return False
