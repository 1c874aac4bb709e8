"""The seam between whoever knows subreddit rules and whoever needs them.

The caption engine needs a subreddit's rules to fit titles, but must not depend on the
Reddit client: it asks a `SubredditRulesSource`. The Reddit rules cache
(core.reddit.subreddits.SubredditDirectory) implements it, answering with the rules it
fetched live from Reddit when it has them and with the bundled set otherwise;
`BundledRules` is the offline default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from core.subreddits.rules import SubredditRules


class SubredditRulesSource(Protocol):
    async def lookup(self, session: AsyncSession | None, name: str) -> SubredditRules:
        """The best rules known for `name` without calling Reddit (no network, so it is
        safe inside a transaction); `SubredditRules.unknown` when there are none."""
        ...
