"""Where a subreddit's rules come from: fresh cache, Reddit itself, or the starter set.

The starter set is the one bundled set of subreddit rules (core.subreddits), which makes
the rule check and the caption engine work offline and before any account is connected;
whenever a connected client is at hand, stale or starter entries are refreshed from
Reddit and cached in the database. As a `SubredditRulesSource` this directory also
hands those live rules to the caption engine, so captions and /post agree.

asyncpraw is imported only when rules are fetched: the caption engine and the CLI start
path reach this module without needing the Reddit client.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from core.clock import Clock
from core.reddit.budget import RULES_FETCH, RequestBudget
from core.reddit.models import SubredditCache
from core.reddit.types import subreddit_key
from core.settings import RedditSettings
from core.subreddits import SubredditRules, bundled

if TYPE_CHECKING:
    import asyncpraw
    from sqlalchemy.ext.asyncio import AsyncSession

STARTER = "starter"
FETCHED = "reddit"


def load_starter() -> dict[str, SubredditRules]:
    """The bundled set by subreddit key (a copy: callers may not change the shared one)."""
    return dict(bundled())


class SubredditDirectory:
    def __init__(self, settings: RedditSettings, clock: Clock,
                 budget: RequestBudget | None = None) -> None:
        self._ttl = timedelta(hours=settings.rules_cache_hours)
        self._clock = clock
        self._budget = budget or RequestBudget()
        self._starter = load_starter()

    def suggest(self, *, nsfw: bool, exclude: Iterable[str] = (), limit: int) -> list[str]:
        """Up to `limit` starter subreddits to offer as buttons, none of `exclude`.

        With `nsfw` (the user opted in and the content is adult) the 18+ ones come
        first, then the SFW ones; without it only SFW ones are offered.
        """
        skip = {subreddit_key(name) for name in exclude}
        rules = [r for r in self._starter.values() if subreddit_key(r.name) not in skip]
        adult = [r.name for r in rules if r.over18] if nsfw else []
        return [*adult, *(r.name for r in rules if not r.over18)][:limit]

    async def get(
        self,
        session: AsyncSession,
        name: str,
        reddit: asyncpraw.Reddit | None = None,
        *,
        refresh: bool = False,
        release: Callable[[], Awaitable[None]] | None = None,
    ) -> SubredditRules:
        """Best rules we can have now; fetches from Reddit when a client is given and
        what we hold is missing, stale or only from the starter set. The fetch's
        requests are reserved from the shared budget first (`reddit_busy` when it is
        spent), then `release` is awaited (a caller commits there, the reservation
        with it: no transaction held across the network)."""
        key = subreddit_key(name)
        row = await session.get(SubredditCache, key)
        fresh = (
            row is not None
            and row.source == FETCHED
            and self._clock.now() - row.fetched_at < self._ttl
        )
        if reddit is not None and (refresh or not fresh):
            await self._budget.take(session, RULES_FETCH)
            if release is not None:
                await release()
            rules = await self.fetch(reddit, key)
            await self._store(session, key, rules, row)
            return rules
        if row is not None:
            return SubredditRules.from_dict(row.data)
        return self._starter.get(key) or SubredditRules.unknown(name.strip())

    async def lookup(self, session: AsyncSession | None, name: str) -> SubredditRules:
        """`SubredditRulesSource` for the caption engine: cached (live-fetched) rules when
        we have them, else the bundled ones; never calls Reddit."""
        if session is None:
            return self._starter.get(subreddit_key(name)) or SubredditRules.unknown(name.strip())
        return await self.get(session, name)

    async def fetch(self, reddit: asyncpraw.Reddit, key: str) -> SubredditRules:
        import asyncprawcore  # with the client that raises it, only when fetching

        about: dict[str, Any] = await reddit.request(method="GET", path=f"r/{key}/about/")
        subreddit = await reddit.subreddit(key)
        requirements = await subreddit.post_requirements()
        rules = await reddit.request(method="GET", path=f"r/{key}/about/rules")
        try:
            flairs = [f async for f in subreddit.flair.link_templates.user_selectable()]
        except (asyncprawcore.Forbidden, asyncprawcore.NotFound):
            flairs = []  # flair disabled for this subreddit or for this user
        return SubredditRules.from_reddit(about.get("data", {}), requirements, rules, flairs)

    async def _store(
        self, session: AsyncSession, key: str, rules: SubredditRules, row: SubredditCache | None
    ) -> None:
        now = self._clock.now()
        if row is None:
            try:
                async with session.begin_nested():
                    session.add(SubredditCache(
                        name=key, data=rules.to_dict(), source=FETCHED, fetched_at=now))
                return
            except IntegrityError:  # another process cached it first; overwrite below
                row = await session.get(SubredditCache, key)
                if row is None:
                    raise
        row.data = rules.to_dict()
        row.source = FETCHED
        row.fetched_at = now
