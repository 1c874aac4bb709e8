"""Subreddit title rules for the caption engine, from the one shared set of subreddit
rules (core.subreddits): the bundled data here, or whatever `SubredditRulesSource` the
caption service was given (the live rules cache in a running bot).

Unknown subreddits get Reddit's plain 1-300 characters.
"""

from __future__ import annotations

from core.captions.fitting import TitleRules
from core.subreddits import bundled, subreddit_key


def normalise_subreddit(name: str | None) -> str | None:
    """`r/Selfie`, `/r/selfie/` and `selfie` all mean `selfie`."""
    key = subreddit_key(name) if name else ""
    return key or None


def rules_for(subreddit: str | None) -> TitleRules:
    """Bundled title rules for `subreddit`, else Reddit's plain limits."""
    rules = bundled().get(normalise_subreddit(subreddit) or "")
    return TitleRules.from_subreddit(rules) if rules is not None else TitleRules()
