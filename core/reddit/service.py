"""`core.reddit`: the one object front doors use for Reddit.

`prepare()` runs the rule check (with auto-fixes), `submit()` is the scheduler seam
(one account, one `PostRequest`, one `PostResult`, never raises for Reddit-side
problems), and `post()` does both plus image shielding and the post history. Failures
come back as results so the caller's unit of work still commits what we learned
(e.g. that an account's grant was revoked).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.service import BillingService
from core.clock import Clock
from core.db.models import User
from core.errors import UserFacingError
from core.events import EventKind, EventLog
from core.imageshield import ImageRejected, ImageShield
from core.reddit.accounts import AccountService
from core.reddit.budget import RequestBudget, is_busy
from core.reddit.check import Verdict, check
from core.reddit.client import RedditClients
from core.reddit.crypto import TokenCipher
from core.reddit.errors import is_reddit_error, translate
from core.reddit.fixes import auto_fix
from core.reddit.history import PostHistory
from core.reddit.models import AccountStatus, RedditAccount, RedditPost
from core.reddit.oauth import OAuthService
from core.reddit.posting import permalink, submit_with
from core.reddit.requestor import LANDED_WINDOW, is_ambiguous, landed_post
from core.reddit.requirements import SubredditRules
from core.reddit.subreddits import SubredditDirectory
from core.reddit.types import MediaItem, PostRequest, PostResult
from core.settings import Settings

if TYPE_CHECKING:  # asyncpraw loads with the first client (core.reddit.client), not at start
    import asyncpraw
    from asyncpraw.models import Submission

log = logging.getLogger(__name__)

# Awaited before slow outside work; callers commit there (see `post`).
Release = Callable[[], Awaitable[None]]
RECORDED_SLACK = timedelta(minutes=30)  # our clock vs Reddit's, when reading our history


@dataclass(frozen=True)
class Prepared:
    request: PostRequest  # with auto-fixes applied
    rules: SubredditRules
    verdict: Verdict  # of the fixed request
    fixed: tuple[str, ...] = ()  # codes of the auto-fixes applied


@dataclass(frozen=True)
class PostOutcome:
    prepared: Prepared | None
    result: PostResult | None  # None when the verdict stopped us before posting

    @property
    def posted(self) -> bool:
        return self.result is not None and self.result.ok


class RedditService:
    def __init__(
        self, settings: Settings, secret_key: bytes, clock: Clock, events: EventLog
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.clients = RedditClients(settings)
        # Rules fetches and connects reserve from the shared Reddit budget; open_core
        # binds its ledger (core.posting.budget) here.
        self.budget = RequestBudget()
        self.accounts = AccountService(self.clients, TokenCipher(secret_key), clock, events,
                                       BillingService(settings, clock, events), self.budget)
        self.oauth = OAuthService(settings, secret_key, clock, self.clients, self.accounts)
        self.subreddits = SubredditDirectory(settings.reddit, clock, self.budget)
        self.history = PostHistory(settings.reddit, clock)
        self.events = events
        # Bound by open_core; None posts images exactly as given.
        self.shield: ImageShield | None = None

    # -- rules -----------------------------------------------------------------------
    async def rules_for(
        self, session: AsyncSession, name: str, account: RedditAccount | None = None
    ) -> SubredditRules:
        """Fresh from Reddit through `account` when possible, else cache or starter."""
        rules, _ = await self.rules_or_saved(session, name, account)
        return rules

    async def rules_or_saved(
        self, session: AsyncSession, name: str, account: RedditAccount | None = None,
        *, release: Release | None = None,
    ) -> tuple[SubredditRules, bool]:
        """Like `rules_for`, plus whether Reddit could not be asked (5xx, timeout, the
        shared request budget spent) and the rules are the ones we had saved (cache or
        starter set) instead. `release`
        is awaited before any fetch from Reddit (see `SubredditDirectory.get`)."""
        if account is None or account.status != AccountStatus.ACTIVE:
            return await self.subreddits.get(session, name), False
        async with self.accounts.client(session, account, name) as reddit:
            return await self._rules_in(session, name, reddit, release)

    async def _rules_in(
        self, session: AsyncSession, name: str, reddit: asyncpraw.Reddit,
        release: Release | None = None,
    ) -> tuple[SubredditRules, bool]:
        """The subreddit's rules through an open client; while Reddit is down or the
        budget spent, the saved ones (when we have any: an unknown subreddit can't be
        checked, so that fails, with `reddit_unavailable` or `reddit_busy`)."""
        try:
            return await self.subreddits.get(session, name, reddit, release=release), False
        except Exception as exc:
            down = is_reddit_error(exc) and translate(exc).code == "reddit_unavailable"
            if not (down or is_busy(exc)):
                raise
            saved = await self.subreddits.get(session, name)
            if not saved.known:
                raise
            log.warning("Reddit %s fetching r/%s rules; using saved ones (%s)",
                        "busy" if is_busy(exc) else "unavailable", name, type(exc).__name__)
            return saved, True

    async def prepare(
        self,
        session: AsyncSession,
        user: User,
        account: RedditAccount | None,
        request: PostRequest,
        rules: SubredditRules | None = None,
        *,
        nsfw_allowed: bool | None = None,
    ) -> Prepared:
        """Check `request` against `rules` and apply the automatic fixes.

        `nsfw_allowed` is the asking place's say (a chat's `nsfw_ok`: False in a shared
        channel without an age restriction); None leaves it to the user's own opt-in.
        It can only narrow: a place never allows what the user has not turned on.
        """
        rules = rules or await self.rules_for(session, request.subreddit, account)
        facts = await self.history.facts(
            session, user.id, account.id if account else None, request, rules
        )
        place_ok = nsfw_allowed is not False

        def verdict_of(req: PostRequest) -> Verdict:
            return check(req, rules, nsfw_allowed=user.may_see_nsfw, history=facts,
                         nsfw_place=place_ok)

        fixed, applied = auto_fix(request, rules, verdict_of(request))
        if rules.name and fixed.subreddit != rules.name:
            fixed = replace(fixed, subreddit=rules.name)
        return Prepared(fixed, rules, verdict_of(fixed), tuple(applied))

    # -- posting ---------------------------------------------------------------------
    async def submit(
        self, session: AsyncSession, account: RedditAccount, request: PostRequest
    ) -> PostResult:
        """Post exactly `request` as `account` (no rule check). Scheduler seam."""
        try:
            async with self.accounts.client(session, account, request.subreddit) as reddit:
                return await self._submit_in(reddit, request,
                                             lambda: self._recorded(session, account, request))
        except UserFacingError as exc:
            return PostResult(False, request.subreddit, error=exc.code, params=exc.params)

    async def _recorded(self, session: AsyncSession, account: RedditAccount,
                        request: PostRequest) -> set[str]:
        """Ids of the account's recent posts in `request`'s subreddit that we recorded
        (the history): a lost answer's lookup must not take one of them for a new post.
        A transaction this opens ends before the lookup (none held across Reddit calls)."""
        opened = not session.in_transaction()
        since = self.clock.now() - timedelta(seconds=LANDED_WINDOW) - RECORDED_SLACK
        ids = set(await session.scalars(select(RedditPost.reddit_id).where(
            RedditPost.account_id == account.id,
            RedditPost.subreddit == request.subreddit_key,
            RedditPost.created_at >= since, RedditPost.reddit_id.is_not(None))))
        if opened:
            await session.commit()
        return {i for i in ids if i}

    async def _submit_in(self, reddit: asyncpraw.Reddit, request: PostRequest,
                         recorded: Callable[[], Awaitable[set[str]]]) -> PostResult:
        try:
            submission = await submit_with(reddit, request)
        except Exception as exc:
            # Cheap here: the client that just raised has loaded asyncpraw.
            from asyncpraw.exceptions import MediaPostFailed, WebSocketException

            # MediaPostFailed is Reddit saying "no post"; a lost websocket is "don't know".
            unknown = isinstance(exc, WebSocketException) and not isinstance(
                exc, MediaPostFailed)
            if not (is_ambiguous(exc) or unknown):
                raise
            submission = await self._landed_or_raise(reddit, request, exc, await recorded())
        if submission is None:
            return PostResult(True, request.subreddit)
        link = permalink(self.settings.reddit.reddit_url, request.subreddit, submission.id)
        comment_error = None
        if request.first_comment:
            try:
                await submission.reply(request.first_comment)
            except Exception as exc:
                if not is_reddit_error(exc):
                    raise
                comment_error = translate(exc, request.subreddit).code
        return PostResult(True, request.subreddit, reddit_id=submission.id, permalink=link,
                          comment_error=comment_error)

    async def _landed_or_raise(
        self, reddit: asyncpraw.Reddit, request: PostRequest, exc: Exception,
        taken: set[str],
    ) -> Submission:
        """After a failure that may have happened after Reddit made the post, look before
        saying 'nothing was posted': a creator who retries must not post twice. A post
        in `taken` (already recorded as ours) is an earlier one, not this one."""
        try:
            landed = await landed_post(reddit, request.subreddit_key, request.title,
                                       now=self.clock.now().timestamp(), taken=taken)
        except Exception as lookup_error:
            if not is_reddit_error(lookup_error):
                raise
            landed = None
        if landed is None:
            raise exc
        log.info("r/%s: the answer was lost but the post landed (%s)", request.subreddit,
                 landed.id)
        return landed

    async def recover(
        self, session: AsyncSession, user: User, account: RedditAccount, request: PostRequest
    ) -> PostResult | None:
        """Did an earlier attempt of `request` land after all? (Its process died, or the
        failure came after Reddit had the post.) If so, record it like a fresh post and
        return it, so a retry never posts twice; None means post it."""
        taken = await self._recorded(session, account, request)
        try:
            async with self.accounts.client(session, account, request.subreddit) as reddit:
                landed = await landed_post(reddit, request.subreddit_key, request.title,
                                           now=self.clock.now().timestamp(), taken=taken)
        except UserFacingError:
            return None  # can't tell now; the submit that follows reports what's wrong
        if landed is None:
            return None
        link = permalink(self.settings.reddit.reddit_url, request.subreddit, landed.id)
        result = PostResult(True, request.subreddit, reddit_id=landed.id, permalink=link)
        await self.history.record(
            session, user.id, account.id, request, result, request.content_hash()
        )
        await self.events.record(session, EventKind.POST_RECOVERED, user.id,
                                 subreddit=request.subreddit, account_id=account.id)
        return result

    async def post(
        self,
        session: AsyncSession,
        user: User,
        account: RedditAccount,
        request: PostRequest,
        *,
        confirm_warnings: bool = False,
        release: Release | None = None,
    ) -> PostOutcome:
        """Check, fix, shield and post; stops at any blocker, unresolved fix or
        unconfirmed warning and returns the verdict instead.

        `release` is awaited before each slow outside step: fetching the rules (when
        they are fetched) and, after the last read, shielding and uploading (seconds of
        CPU and network): a caller commits there so no transaction is held across them.
        """
        try:
            async with self.accounts.client(session, account, request.subreddit) as reddit:
                rules, _ = await self._rules_in(session, request.subreddit, reddit, release)
                prepared = await self.prepare(session, user, account, request, rules)
                status = prepared.verdict.status
                if status in ("blocked", "fixable") or (status == "warn" and not confirm_warnings):
                    return PostOutcome(prepared, None)
                level = await self._shield_level(session, user.id, prepared.request)
                if release is not None:
                    await release()
                shielded = await self.shield_images(prepared.request, level)
                result = await self._submit_in(
                    reddit, shielded, lambda: self._recorded(session, account, shielded))
        except UserFacingError as exc:
            result = PostResult(False, request.subreddit, error=exc.code, params=exc.params)
            await self.events.record(session, EventKind.POST_FAILED, user.id, code=exc.code)
            return PostOutcome(None, result)
        await self.history.record(
            session, user.id, account.id, prepared.request, result, request.content_hash()
        )
        await self.events.record(
            session, EventKind.POSTED, user.id, subreddit=result.subreddit,
            post_kind=request.kind, account_id=account.id,
        )
        return PostOutcome(prepared, result)

    async def _shield_level(
        self, session: AsyncSession, user_id: int, request: PostRequest
    ) -> str | None:
        """The creator's default shield level, when this request has images to shield."""
        if not request.images or self.shield is None:
            return None
        return (await self.accounts.prefs(session, user_id)).protect_level

    async def shield_images(self, request: PostRequest, level: str | None) -> PostRequest:
        """Protect the images at `level` (None: as they are, apart from their metadata,
        which every upload loses in core.reddit.posting whatever the level).

        An image the shield refuses (animated, unreadable, too big) is not posted
        unprotected behind the user's back: the post fails with `reddit_shield_failed`.
        """
        if not level or self.shield is None:
            return request
        images = []
        for item in request.images:
            try:
                out = await self.shield.protect_async(item.data, level)
            except ImageRejected as exc:
                raise UserFacingError("reddit_shield_failed", reason=exc.code) from exc
            images.append(MediaItem(out.data, item.filename, item.caption))
        return replace(request, images=tuple(images))
