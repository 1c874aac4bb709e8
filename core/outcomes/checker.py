"""Looking at live posts when their checks fall due, within the shared Reddit budget.

Each due check is claimed (`core.posting.claims`: SKIP LOCKED on PostgreSQL, a lease a
dead worker's successor can take over), costs one request from the API budget every
process shares (two for the first check, which also reads the subreddit's new listing
as a logged-out reader), and is settled in one transaction conditional on the claim:
the numbers, and for a removal the creator's notice (outbox, unique per post, so a
removal seen by several checks or workers is told once). No transaction is open while
Reddit is asked.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import UserFacingError
from core.events import EventKind
from core.outcomes.models import PostCheck
from core.outcomes.reading import SPAM_FILTER, Reading, read_post, visible_in_new
from core.outcomes.schedule import FIRST, LAST
from core.posting import claims, outbox
from core.posting.budget import ApiBudgetLedger
from core.posting.models import PostTarget, State
from core.reddit.models import RedditAccount
from core.retry import Backoff

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)
DONE = "done"
REMOVED = "post_removed"  # the outbox notice kind
RESTORED = "post_restored"  # a filtered post a later check found back up
# AutoModerator's filter puts a post in the moderators' queue, and they often approve it
# later: such a post keeps its later checks, and coming back up is told (`RESTORED`).
# Any other removal ends the checks. (A spam-filtered post's approval can't be seen
# the same way: only the first check reads r/<sub>/new, where it would show.)
REVERSIBLE = ("automod",)
MAX_ATTEMPTS = 8  # with the backoff cap, a few hours of Reddit trouble before giving up
RETRY = Backoff(base=60.0, cap=3600.0)
_rng = random.Random()  # noqa: S311 - jitter, not security
LIKELY_RULES = 3  # subreddit rules quoted in a removal notice


@dataclass(frozen=True)
class DueCheck:
    id: int
    token: str
    target_id: int
    user_id: int
    account_id: int
    reddit_id: str
    subreddit: str
    title: str
    label: str
    posted_at: datetime
    attempts: int


class OutcomeChecker:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.db, self.clock = core.db, core.clock
        ps = core.settings.posting
        self.lease = timedelta(seconds=ps.lease_seconds)
        self.budget = ApiBudgetLedger.for_core(core)

    async def claim_due(self, limit: int) -> list[DueCheck]:
        now = self.clock.now()
        stmt = (select(PostCheck).where(claims.claimable(PostCheck, now))
                .order_by(PostCheck.not_before, PostCheck.id).limit(limit))
        async with self.db.session() as session:
            token, rows = await claims.claim(session, stmt, model=PostCheck, now=now,
                                             lease=self.lease)
            return [DueCheck(r.id, token, r.target_id, r.user_id, r.account_id, r.reddit_id,
                             r.subreddit, r.title, r.label, r.posted_at, r.attempts)
                    for r in rows]

    async def run_due(self, limit: int = 8) -> int:
        """Claim and run what is due now (the worker loop, and tests, call this)."""
        due = await self.claim_due(limit)
        for check in due:
            await self.run(check)
        return len(due)

    async def run(self, c: DueCheck) -> str:
        wait = await self.budget.reserve(2 if c.label == FIRST else 1)
        if wait > 0:
            return await self._later(c, timedelta(seconds=wait), None, count=False)
        try:
            reading = await self._read(c)
        except UserFacingError as exc:
            if exc.code in ("reddit_unavailable", "reddit_ratelimit"):
                return await self._later(c, self._retry_in(c), exc.code)
            return await self._settle(c, None, exc.code)  # revoked, gone: nothing to read
        except Exception:
            log.exception("outcome check %s failed unexpectedly", c.id)
            return await self._later(c, self._retry_in(c), "check_error")
        state = await self._settle(c, reading, None)
        if state == DONE and c.label == LAST:
            await self._refit(c.user_id)
        return state

    async def _refit(self, user_id: int) -> None:
        """Day-one numbers are in: refit the creator's engagement model (best effort; a
        failure keeps the previous model)."""
        from zoneinfo import ZoneInfo

        from core.db.models import User
        from core.outcomes.engagement import EngagementService

        try:
            async with self.db.read() as session:
                user = await session.get(User, user_id)
                zone = (user.timezone if user else None) or "UTC"
            await EngagementService(self.core).refit(user_id, ZoneInfo(zone))
        except Exception:
            log.exception("refitting the engagement model of user %s failed", user_id)

    async def _read(self, c: DueCheck) -> tuple[Reading, bool | None]:
        async with self.db.session() as session:
            account = await session.get(RedditAccount, c.account_id)
            await session.commit()  # nothing held across the calls to Reddit
            if account is None:
                raise UserFacingError("reddit_account_revoked", account="")
            try:
                async with self.core.reddit.accounts.client(session, account,
                                                            c.subreddit) as reddit:
                    reading = await read_post(reddit, c.reddit_id)
            except UserFacingError:
                await session.commit()  # what Reddit said of the account (revoked) is kept
                raise
        visible: bool | None = None
        if c.label == FIRST and reading.removed is None and not reading.deleted_by_author:
            try:
                async with self.core.reddit.clients.open_reader() as reader:
                    visible = await visible_in_new(
                        reader, c.subreddit, c.reddit_id,
                        reading.created_utc or c.posted_at.timestamp())
            except Exception as exc:  # the listing is extra evidence, not the reading
                log.warning("new listing of r/%s unreadable: %r", c.subreddit, exc)
        if visible is False:
            reading = replace(reading, removed=SPAM_FILTER)
        return reading, visible

    @staticmethod
    def _retry_in(c: DueCheck) -> timedelta:
        return timedelta(seconds=max(30.0, RETRY.delay(c.attempts, _rng)))

    async def _later(self, c: DueCheck, wait: timedelta, error: str | None, *,
                     count: bool = True) -> str:
        now = self.clock.now()
        attempts = c.attempts + (1 if count else 0)
        state = State.FAILED if attempts >= MAX_ATTEMPTS else State.QUEUED
        async with self.db.session() as session:
            await session.execute(update(PostCheck).where(
                PostCheck.id == c.id, PostCheck.claim_token == c.token).values(
                state=state, claim_token=None, lease_until=None, attempts=attempts,
                not_before=now + wait, error=error, updated_at=now))
        return state

    async def _settle(self, c: DueCheck, found: tuple[Reading, bool | None] | None,
                      error: str | None) -> str:
        now = self.clock.now()
        async with self.db.session() as session:
            row = await claims.owned(session, PostCheck, c.id, c.token)
            if row is None:
                return State.RUNNING  # taken over; the new owner settles it
            row.claim_token, row.lease_until, row.updated_at = None, None, now
            row.checked_at, row.attempts, row.error = now, c.attempts + 1, error
            if found is None:
                row.state = State.FAILED
                return row.state
            reading, visible = found
            row.state, row.visible = DONE, visible
            row.score, row.upvote_ratio = reading.score, reading.upvote_ratio
            row.num_comments, row.removed = reading.num_comments, reading.removed
            if reading.deleted_by_author or (reading.removed
                                             and reading.removed not in REVERSIBLE):
                await session.execute(update(PostCheck).where(  # nothing more to learn
                    PostCheck.target_id == c.target_id, PostCheck.state == State.QUEUED)
                    .values(state=State.CANCELLED, updated_at=now))
            if reading.removed:
                await self._tell_removed(session, c, reading.removed, now)
            elif not reading.deleted_by_author and await self._was_removed(session, c):
                await self._tell_restored(session, c, now)
            return row.state

    @staticmethod
    async def _was_removed(session: AsyncSession, c: DueCheck) -> bool:
        """Whether an earlier check of this post found it filtered (a moderator may
        approve it later: the later checks go on for exactly that)."""
        return bool(await session.scalar(select(PostCheck.id).where(
            PostCheck.target_id == c.target_id, PostCheck.id != c.id,
            PostCheck.state == DONE, PostCheck.removed.in_(REVERSIBLE)).limit(1)))

    async def _tell_restored(self, session: AsyncSession, c: DueCheck, now: datetime) -> None:
        link = await session.scalar(select(PostTarget.permalink).where(
            PostTarget.id == c.target_id))
        await self.core.events.record(session, EventKind.POST_RESTORED, c.user_id,
                                      subreddit=c.subreddit, after=c.label,
                                      target_id=c.target_id)
        await outbox.notify(session, now, c.user_id, RESTORED,
                            f"target:{c.target_id}:restored", target_id=c.target_id,
                            subreddit=c.subreddit, title=c.title, link=link)

    async def _tell_removed(self, session: AsyncSession, c: DueCheck, why: str,
                            now: datetime) -> None:
        rules = await self.core.reddit.subreddits.lookup(session, c.subreddit)
        link = await session.scalar(select(PostTarget.permalink).where(
            PostTarget.id == c.target_id))
        await self.core.events.record(session, EventKind.POST_REMOVED, c.user_id,
                                      subreddit=c.subreddit, reason=why, after=c.label,
                                      target_id=c.target_id)
        await outbox.notify(session, now, c.user_id, REMOVED, f"target:{c.target_id}:removed",
                            target_id=c.target_id, subreddit=c.subreddit, title=c.title,
                            link=link, reason=why, after=c.label,
                            rules=list(rules.rules[:LIKELY_RULES]))
