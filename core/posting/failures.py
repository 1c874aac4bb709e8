"""What a Reddit failure means for a scheduled post: wait, retry, or stop and say why.

Only failures after which the post *may* exist are "uncertain" (a 5xx or network error,
a timeout, a lost answer, an image post whose websocket never confirmed); they are
retried with backoff and looked up on Reddit first. RATELIMIT pauses the account.
Everything else is Reddit's definite "no", which a retry would only repeat: the post
stops and the creator gets the reason plus the one thing to do next.
"""

from __future__ import annotations

import re
from typing import Any

UNCERTAIN = frozenset({"reddit_unavailable", "reddit_media_unconfirmed"})

NEXT_STEPS: dict[str, str] = {
    "reddit_account_revoked": "reconnect",
    "reddit_verify_email": "verify_email",
    "reddit_banned": "pick_other_subreddit",
    "reddit_sub_not_found": "pick_other_subreddit",
    "reddit_sub_not_allowed": "pick_other_subreddit",
    "reddit_no_text_posts": "pick_other_subreddit",
    "reddit_no_link_posts": "pick_other_subreddit",
    "reddit_no_image_posts": "pick_other_subreddit",
    "reddit_no_gallery_posts": "pick_other_subreddit",
    "reddit_flair_required": "pick_flair",
    "reddit_flair_invalid": "pick_flair",
    "reddit_title_missing": "edit_title",
    "reddit_title_too_long": "edit_title",
    "reddit_title_too_short": "edit_title",
    "reddit_title_rules": "edit_title",
    "reddit_title_banned_word": "edit_title",
    "reddit_media_too_large": "send_smaller_photo",
    "reddit_media_failed": "send_other_photo",
    "posting_media_missing": "send_photo_again",
    "reddit_shield_failed": "send_other_photo",
}
DEFAULT_PAUSE = 600.0  # seconds, when Reddit names no wait
_WAIT = re.compile(r"(\d+)\s*(milliseconds?|ms|seconds?|minutes?|hours?)", re.IGNORECASE)
_UNIT = {"ms": 0.001, "millisecond": 0.001, "second": 1.0, "minute": 60.0, "hour": 3600.0}


def next_step(code: str) -> str:
    """What the creator can do about `code` (a key of the text catalogue)."""
    return NEXT_STEPS.get(code, "reschedule")


def pause_seconds(params: dict[str, Any]) -> float:
    """How long Reddit asked us to wait, from its message ("try again in 9 minutes")."""
    match = _WAIT.search(str(params.get("detail") or ""))
    if match:
        word = match.group(2).lower()
        unit = "ms" if word == "ms" else word.rstrip("s")
        return max(1.0, int(match.group(1)) * _UNIT[unit])
    minutes = params.get("minutes")
    return float(minutes) * 60 if isinstance(minutes, int | float) else DEFAULT_PAUSE


def jsonable(params: dict[str, Any]) -> dict[str, Any]:
    """A failure's params as stored with the target and its notice."""
    return {k: v if isinstance(v, str | int | float | bool | None) else str(v)
            for k, v in params.items()}
