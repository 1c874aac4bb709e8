"""Is a creator's Reddit account healthy? Shadowbans and filtered posts, said plainly.

Two kinds of evidence, both as other people see Reddit (a logged-out reader):
- the account's profile: a shadowbanned account's profile is a 404 to everyone but
  itself; a suspended one says `is_suspended`;
- the outcome checks of its recent posts (core.outcomes.checker): posts missing from
  their subreddit's new listing, or removed, per subreddit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.errors import UserFacingError
from core.outcomes.models import PostCheck
from core.posting import outbox
from core.posting.budget import ApiBudgetLedger
from core.reddit.errors import is_reddit_error
from core.reddit.models import AccountStatus, RedditAccount

if TYPE_CHECKING:
    from core.bootstrap import Core

RECENT = timedelta(days=7)
NOTICE = "account_health"  # outbox kind: told at most once a day per account and verdict
ALARMING = ("shadowbanned", "suspended")
OK, SHADOWBANNED, SUSPENDED, FILTERED, UNKNOWN, REVOKED = (
    "ok", "shadowbanned", "suspended", "filtered", "unknown", "revoked")


@dataclass(frozen=True)
class AccountHealth:
    username: str
    verdict: str  # one of the constants above
    checked_posts: int = 0
    hidden_in: tuple[str, ...] = ()  # subreddits where recent posts were hidden/removed
    removed: dict[str, int] = field(default_factory=dict)  # reason -> count


class HealthService:
    def __init__(self, core: Core) -> None:
        self.core = core
        # the app-only reader spends the same per-client Reddit budget as posting
        self.budget = ApiBudgetLedger.for_core(core)

    async def check_user(self, user_id: int) -> list[AccountHealth]:
        """Every connected account of the user, newest first; [] when none."""
        async with self.core.db.session() as session:
            accounts = list(await session.scalars(select(RedditAccount).where(
                RedditAccount.user_id == user_id).order_by(RedditAccount.id.desc())))
        return [await self.check(account) for account in accounts]

    async def sweep(self) -> int:
        """The periodic check: every account that posted in the last week; a shadowban
        or suspension is told to its creator (once a day while it lasts). Returns how
        many creators were told."""
        since = self.core.clock.now() - RECENT
        async with self.core.db.session() as session:
            accounts = list(await session.scalars(select(RedditAccount).where(
                RedditAccount.status == AccountStatus.ACTIVE,
                RedditAccount.id.in_(select(PostCheck.account_id).where(
                    PostCheck.posted_at >= since)))))
        told = 0
        for account in accounts:
            report = await self.check(account)
            if report.verdict not in ALARMING:
                continue
            now = self.core.clock.now()
            async with self.core.db.session() as session:
                await outbox.notify(
                    session, now, account.user_id, NOTICE,
                    f"health:{account.id}:{report.verdict}:{now.date().isoformat()}",
                    account=account.username, verdict=report.verdict,
                    subreddits=list(report.hidden_in), posts=report.checked_posts)
            told += 1
        return told

    async def check(self, account: RedditAccount) -> AccountHealth:
        since = self.core.clock.now() - RECENT
        async with self.core.db.session() as session:
            checks = list(await session.scalars(select(PostCheck).where(
                PostCheck.account_id == account.id, PostCheck.checked_at >= since)))
        removed = Counter(c.removed for c in checks if c.removed)
        hidden = tuple(sorted({c.subreddit for c in checks if c.removed}))
        posts = len({c.target_id for c in checks})
        if account.status != AccountStatus.ACTIVE:
            return AccountHealth(account.username, REVOKED, posts, hidden, dict(removed))
        verdict = await self._profile(account.username)
        if verdict == OK and hidden:
            verdict = FILTERED
        return AccountHealth(account.username, verdict, posts, hidden, dict(removed))

    async def _profile(self, username: str) -> str:
        """The profile as a logged-out reader sees it; unknown while the shared Reddit
        budget is spent (the next sweep, or the creator's next /health, looks again)."""
        import asyncprawcore

        if await self.budget.reserve(1) > 0:
            return UNKNOWN
        try:
            async with self.core.reddit.clients.open_reader() as reader:
                redditor = await reader.redditor(username, fetch=True)
        except asyncprawcore.NotFound:
            return SHADOWBANNED
        except UserFacingError:
            return UNKNOWN
        except Exception as exc:
            if is_reddit_error(exc):
                return UNKNOWN
            raise
        return SUSPENDED if getattr(redditor, "is_suspended", False) else OK
