"""One source of subreddit rules for the whole of core: the rules value, the bundled
set, the title predicates and the `SubredditRulesSource` seam.

Light on purpose (no Reddit client, no database engine): the caption engine and the
/post rule check both import it.
"""

from core.subreddits.bundled import BundledRules, bundled, bundled_rules, subreddit_key
from core.subreddits.rules import Flair, SubredditRules
from core.subreddits.source import SubredditRulesSource

__all__ = [
    "BundledRules",
    "Flair",
    "SubredditRules",
    "SubredditRulesSource",
    "bundled",
    "bundled_rules",
    "subreddit_key",
]
