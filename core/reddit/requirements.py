"""Kept for the Reddit code's existing imports: the rules value now lives in
`core.subreddits.rules`, shared with the caption engine (one source of subreddit rules).
"""

from core.subreddits.rules import GALLERY_MAX, GALLERY_MIN, REDDIT_TITLE_MAX, Flair, SubredditRules

__all__ = ["GALLERY_MAX", "GALLERY_MIN", "REDDIT_TITLE_MAX", "Flair", "SubredditRules"]
