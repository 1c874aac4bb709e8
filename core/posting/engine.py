"""Running one claimed target, exactly once: the whole protocol in one place.

    claim (committed) ─▶ attempted before? ─yes─▶ (settled?) look on Reddit ─found─▶ posted
                              │no                     │not found / can't ask: wait
                              ▼                       ▼
             reserve API budget ─▶ *attempted* mark (committed) ─▶ submit ─▶ settle

Settle, in one transaction with the notice for the creator (outbox):
live: *posted* mark + link + post history. RATELIMIT (in a 200 body): the account's
queue pauses that long, this target keeps its place. 5xx, timeout, lost answer,
unconfirmed media: stays queued with backoff and keeps its attempted mark, so the
retry looks on Reddit first, once `posting.settle_seconds` have passed since the
attempt (a stalled owner's request in flight has landed or failed by then; an owner
stalled longer than a quarter of that after its mark does not send). Anything else
Reddit refused: failed, with a reason and a next step. No transaction is open during
any call to Reddit, and every write after the claim is conditional on our claim token
(core.posting.claims).
"""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, literal, select, update

from core.claims import heartbeat
from core.db.base import UTCDateTime
from core.errors import UserFacingError
from core.events import EventKind
from core.outcomes.schedule import plan_checks
from core.posting import claims, outbox
from core.posting.budget import ApiBudgetLedger, Observed
from core.posting.failures import UNCERTAIN, jsonable, next_step, pause_seconds
from core.posting.media import MediaMissing, MediaStore
from core.posting.models import AccountPause, PostJob, PostMedia, PostTarget, State
from core.posting.reconcile import Landed, Unknown, find_landed
from core.posting.views import Claimed
from core.reddit.models import RedditAccount
from core.reddit.types import MediaItem, PostRequest, PostResult
from core.retry import Backoff

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)
MARKED = "marked"  # `_mark_attempted`: the target may be sent now
MAX_UNEXPECTED = 10  # attempts (any outcome) after which an error of ours stops a post
LOOK_COST = 2  # reconciliation: who am I, then the account's newest submissions
_rng = random.Random()  # noqa: S311 - jitter, not security


class Engine:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.db = core.db
        self.clock = core.clock
        ps = core.settings.posting
        self.lease = timedelta(seconds=ps.lease_seconds)
        self.settle = timedelta(seconds=max(ps.settle_seconds, ps.lease_seconds))
        self.backoff = Backoff(base=ps.retry_base_seconds, cap=ps.retry_max_seconds)
        self.media = MediaStore.from_settings(core.settings)
        self.budget = ApiBudgetLedger.for_core(core)

    # -- loading -------------------------------------------------------------------
    async def snapshot(self, target: PostTarget, token: str, job: PostJob) -> Claimed:
        media: tuple[tuple[str, str, str], ...] = ()
        if job.kind in ("image", "gallery"):
            async with self.db.session() as session:
                rows = await session.scalars(select(PostMedia).where(
                    PostMedia.target_id == target.id).order_by(PostMedia.position))
                media = tuple((m.sha256, m.filename, m.caption) for m in rows)
        request = PostRequest(
            subreddit=target.subreddit, kind=job.kind, title=target.title, url=job.url,
            body=job.body, nsfw=job.nsfw, spoiler=job.spoiler, flair_id=target.flair_id,
            flair_text=target.flair_text, first_comment=job.first_comment,
            content_key=job.content_key)
        return Claimed(target.id, token, job.id, job.user_id, target.account_id, request,
                       media, job.content_key, target.attempts, target.attempted_at,
                       target.first_attempted_at, target.due_at)

    # -- the protocol --------------------------------------------------------------
    async def run(self, c: Claimed) -> str:
        """Run a claimed target to its next state; returns that state."""
        try:
            async with heartbeat(lambda: self._beat(c), self.clock, self.lease / 3):
                return await self._run(c)
        except Exception as exc:
            log.exception("target %s: unexpected failure", c.target_id)
            await self.core.analytics.errors.capture(exc, "job", job="posting",
                                                     user_id=c.user_id)
            return await self._unexpected(c)

    async def _unexpected(self, c: Claimed) -> str:
        """Our own error: retried with backoff; once `attempts` reach MAX_UNEXPECTED,
        failed as `_fail` fails (event, notice), after looking on Reddit once more when
        an attempt may be live (found, it is recorded as posted)."""
        async with self.db.session() as session:
            row = await claims.owned(session, PostTarget, c.target_id, c.token)
            if row is None:
                return State.RUNNING
            c = replace(c, attempts=row.attempts, attempted_at=row.attempted_at,
                        first_attempted_at=row.first_attempted_at)
        if c.attempts < MAX_UNEXPECTED:
            return await self._retry_later(c, "posting_error", {}, uncertain=True)
        if c.attempted_at is not None:
            try:
                async with heartbeat(lambda: self._beat(c), self.clock, self.lease / 3):
                    await self.budget.reserve(LOOK_COST)  # the last look goes even if spent
                    landed = await self._look(c)
                if landed is not None:
                    return await self._posted(c, c.request, self._found(c.request, landed),
                                              recovered=True)
            except Exception:  # can't ask Reddit, or ours again: failed, attempted_at kept
                log.warning("target %s: the last look on Reddit failed", c.target_id,
                            exc_info=True)
        return await self._fail(c, "posting_error", {}, definite=False)

    async def _run(self, c: Claimed) -> str:
        try:
            request = await self._with_media(c)
        except MediaMissing:
            return await self._fail(c, "posting_media_missing", {}, definite=c.attempted_at is None)
        if c.attempted_at is not None:
            settled = c.attempted_at + self.settle
            if self.clock.now() < settled:  # an owner presumed dead may still be sending
                return await self._requeue(c, settled - self.clock.now())
            wait = await self.budget.reserve(LOOK_COST)  # the lookup spends it too
            if wait > 0:
                return await self._requeue(c, timedelta(seconds=wait))
            try:
                landed = await self._look(c)
            except Unknown:
                return await self._retry_later(c, "reddit_unavailable", {}, uncertain=True)
            if landed is not None:
                return await self._posted(c, request, self._found(request, landed),
                                          recovered=True)
        wait = await self.budget.reserve(cost(request))
        if wait > 0:
            return await self._requeue(c, timedelta(seconds=wait))
        marked = self.clock.now()
        mark = await self._mark_attempted(c)
        if mark == State.CANCELLED:  # cancelled meanwhile, never sent: its photos go
            await self.release_media(c.media)
        if mark != MARKED:
            return mark  # cancelled (above), or taken over: the new owner's now
        if self.clock.now() - marked > self.settle / 4:
            # Stalled since the mark (an overloaded host): sending now could cross a
            # takeover, which waits `settle` after the mark. Leave it to the lookup.
            return await self._retry_later(c, "posting_stalled", {}, uncertain=True)
        result = await self._submit(c, request)
        return await self._settle(c, request, result)

    async def _with_media(self, c: Claimed) -> PostRequest:
        items = [MediaItem(await self.media.get(sha), name, caption)
                 for sha, name, caption in c.media]
        return replace(c.request, images=tuple(items))

    async def _look(self, c: Claimed) -> Landed | None:
        """Reconciliation: is an earlier attempt of this target live?"""
        since = c.first_attempted_at or c.attempted_at or c.due_at
        async with self.db.session() as session:
            account = await session.get(RedditAccount, c.account_id)
            taken = set(await session.scalars(select(PostTarget.reddit_id).where(
                PostTarget.account_id == c.account_id, PostTarget.reddit_id.is_not(None),
                PostTarget.posted_at >= since - timedelta(minutes=30))))
            await session.commit()  # nothing held across the call to Reddit
            if account is None:
                raise Unknown("account gone")
            try:
                async with self.core.reddit.accounts.client(session, account,
                                                            c.request.subreddit) as reddit:
                    return await find_landed(reddit, c.request.subreddit, c.request.title,
                                             since, {t for t in taken if t})
            except UserFacingError as exc:
                await session.commit()  # what Reddit said of the account (revoked) is kept
                raise Unknown(exc.code) from exc

    async def _submit(self, c: Claimed, request: PostRequest) -> PostResult:
        from core.reddit.requestor import RATELIMIT_OBSERVER

        seen = Observed()
        reset = RATELIMIT_OBSERVER.set(seen)
        try:
            async with self.db.session() as session:
                account = await session.get(RedditAccount, c.account_id)
                await session.commit()  # nothing held across the call to Reddit
                if account is None:
                    return PostResult(False, request.subreddit, error="reddit_account_revoked",
                                      params={"account": ""})
                return await self.core.reddit.submit(session, account, request)
        finally:
            RATELIMIT_OBSERVER.reset(reset)
            await self._observe(seen)

    async def _observe(self, seen: Observed) -> None:
        """Correct the shared budget from Reddit's headers: only a correction, so a
        failure here is logged and never turns a post Reddit took into an error (which
        would be settled as uncertain, looked for, and perhaps submitted again)."""
        try:
            await self.budget.observe(seen)
        except Exception:
            log.warning("could not correct the Reddit request budget", exc_info=True)

    async def _settle(self, c: Claimed, request: PostRequest, result: PostResult) -> str:
        if result.ok:
            return await self._posted(c, request, result)
        code, params = result.error or "reddit_rejected", dict(result.params)
        params.setdefault("subreddit", request.subreddit)
        if code == "reddit_ratelimit":
            return await self._pause(c, pause_seconds(params), params)
        if code in UNCERTAIN:
            return await self._retry_later(c, code, params, uncertain=True)
        return await self._fail(c, code, params, definite=True)

    # -- marks (each one transaction, conditional on our claim) ------------------------
    async def _beat(self, c: Claimed) -> None:
        """Renew our lease (core.claims.heartbeat calls this while the target runs)."""
        async with self.db.session() as session:
            held = await claims.heartbeat(session, PostTarget, c.target_id, c.token,
                                          self.clock.now() + self.lease)
        if not held:
            log.warning("target %s: claim taken over; its new owner decides", c.target_id)

    async def _mark_attempted(self, c: Claimed) -> str:
        """The last gate before sending: MARKED, or State.CANCELLED when the job was
        cancelled since it was claimed (the target is cancelled now, nothing was sent:
        a target that was running when its job was cancelled, then went back to the
        queue, or whose worker died, ends here), or State.RUNNING when the claim was
        taken over."""
        now = self.clock.now()
        cancelled = exists().where(PostJob.id == c.job_id, PostJob.cancelled_at.is_not(None))
        async with self.db.session() as session:  # one conditional UPDATE
            marked = await session.execute(
                update(PostTarget)
                .where(PostTarget.id == c.target_id, PostTarget.claim_token == c.token,
                       PostTarget.state == State.RUNNING, ~cancelled)
                .values(attempted_at=now, attempts=PostTarget.attempts + 1,
                        first_attempted_at=func.coalesce(PostTarget.first_attempted_at,
                                                     literal(now, UTCDateTime())),
                        lease_until=now + self.lease, updated_at=now))
            if marked.rowcount:  # type: ignore[attr-defined]
                return MARKED
            row = await claims.owned(session, PostTarget, c.target_id, c.token)
            if row is None:
                return State.RUNNING
            row.state, row.error, row.updated_at = State.CANCELLED, None, now
            row.claim_token, row.lease_until = None, None
        return State.CANCELLED

    async def _posted(self, c: Claimed, request: PostRequest, result: PostResult,
                      *, recovered: bool = False) -> str:
        now = self.clock.now()
        async with self.db.session() as session:
            row = await claims.owned(session, PostTarget, c.target_id, c.token)
            if row is None:
                return State.RUNNING  # the new owner will find this post on Reddit
            row.state, row.posted_at = State.POSTED, now
            row.reddit_id, row.permalink = result.reddit_id, result.permalink
            row.error, row.claim_token, row.lease_until, row.updated_at = None, None, None, now
            await self.core.reddit.history.record(session, c.user_id, c.account_id, request,
                                                  result, c.content_key)
            await self.core.events.record(
                session, EventKind.POST_RECOVERED if recovered else EventKind.POSTED, c.user_id,
                subreddit=request.subreddit, post_kind=request.kind, account_id=c.account_id,
                job_id=c.job_id)
            # 18+ when marked so or when the subreddit is (saved rules, no Reddit call):
            # a notifier must not show it where minors may read (bot.discord.deliver)
            nsfw = request.nsfw or (await self.core.reddit.subreddits.get(
                session, request.subreddit)).over18
            await outbox.notify(session, now, c.user_id, outbox.POSTED,
                                f"target:{c.target_id}:posted", job_id=c.job_id,
                                target_id=c.target_id, subreddit=request.subreddit,
                                title=request.title, link=result.permalink, nsfw=nsfw,
                                comment_error=result.comment_error, recovered=recovered)
            if result.reddit_id:  # how it does is looked at 1 h, 6 h and 24 h from now
                await plan_checks(session, now, target_id=c.target_id, user_id=c.user_id,
                                  account_id=c.account_id, reddit_id=result.reddit_id,
                                  subreddit=request.subreddit, title=request.title)
        await self.release_media(c.media)
        return State.POSTED

    async def _fail(self, c: Claimed, code: str, params: dict[str, Any], *, definite: bool
                    ) -> str:
        now = self.clock.now()
        async with self.db.session() as session:
            row = await claims.owned(session, PostTarget, c.target_id, c.token)
            if row is None:
                return State.RUNNING
            row.state, row.error, row.error_params = State.FAILED, code, jsonable(params)
            row.claim_token, row.lease_until, row.updated_at = None, None, now
            if definite:
                row.attempted_at = None
            await self.core.events.record(session, EventKind.POST_FAILED, c.user_id, code=code,
                                          job_id=c.job_id)
            await outbox.notify(session, now, c.user_id, outbox.FAILED,
                                f"target:{c.target_id}:failed:{row.attempts}",
                                job_id=c.job_id, target_id=c.target_id,
                                subreddit=c.request.subreddit, title=c.request.title,
                                reason=code, params=jsonable(params), next_step=next_step(code))
        return State.FAILED

    async def _retry_later(self, c: Claimed, code: str, params: dict[str, Any], *,
                           uncertain: bool) -> str:
        """Back in the queue with backoff; the attempted mark stays when uncertain."""
        now = self.clock.now()
        async with self.db.session() as session:
            row = await claims.owned(session, PostTarget, c.target_id, c.token)
            if row is None:
                return State.RUNNING
            row.state = State.QUEUED
            delay = max(1.0, self.backoff.delay(max(0, row.attempts - 1), _rng))
            row.not_before = now + timedelta(seconds=delay)
            row.error, row.error_params = code, jsonable(params)
            row.claim_token, row.lease_until, row.updated_at = None, None, now
            if not uncertain:
                row.attempted_at = None
            if code == "reddit_unavailable":  # told once: "queued, will send when back"
                await outbox.notify(session, now, c.user_id, outbox.WAITING,
                                    f"target:{c.target_id}:waiting", job_id=c.job_id,
                                    target_id=c.target_id, subreddit=c.request.subreddit,
                                    title=c.request.title)
        return State.QUEUED

    async def _requeue(self, c: Claimed, wait: timedelta) -> str:
        """Not tried (no budget left): back in the queue, nothing else changes."""
        now = self.clock.now()
        async with self.db.session() as session:
            row = await claims.owned(session, PostTarget, c.target_id, c.token)
            if row is not None:
                row.state, row.not_before = State.QUEUED, now + wait
                row.claim_token, row.lease_until, row.updated_at = None, None, now
        return State.QUEUED

    async def _pause(self, c: Claimed, seconds: float, params: dict[str, Any]) -> str:
        """RATELIMIT: Reddit said no, for now. The account's whole queue waits."""
        now = self.clock.now()
        until = now + timedelta(seconds=seconds)
        async with self.db.session() as session:
            row = await claims.owned(session, PostTarget, c.target_id, c.token)
            if row is None:
                return State.RUNNING
            pause = await session.get(AccountPause, c.account_id)
            if pause is None:
                session.add(AccountPause(account_id=c.account_id, paused_until=until,
                                         reason="reddit_ratelimit", updated_at=now))
            else:
                pause.paused_until, pause.updated_at = max(pause.paused_until, until), now
            row.state, row.not_before, row.attempted_at = State.QUEUED, until, None
            row.error, row.error_params = "reddit_ratelimit", jsonable(params)
            row.claim_token, row.lease_until, row.updated_at = None, None, now
            await outbox.notify(session, now, c.user_id, outbox.PAUSED,
                                f"pause:{c.account_id}:{int(until.timestamp()) // 60}",
                                account_id=c.account_id, until=until.isoformat(),
                                minutes=max(1, round(seconds / 60)),
                                subreddit=c.request.subreddit)
        return State.QUEUED

    # -- media -----------------------------------------------------------------------
    async def release_media(self, media: tuple[tuple[str, str, str], ...]) -> None:
        """Delete stored photos no live (queued, running, recently failed) target needs."""
        hashes = {sha for sha, _, _ in media}
        if not hashes:
            return
        keep_failed = self.clock.now() - timedelta(
            days=self.core.settings.posting.failed_media_days)
        async with self.db.session() as session:
            needed = set(await session.scalars(
                select(PostMedia.sha256).join(PostTarget, PostTarget.id == PostMedia.target_id)
                .where(PostMedia.sha256.in_(hashes),
                       PostTarget.state.in_(State.LIVE)
                       | ((PostTarget.state == State.FAILED)
                          & (PostTarget.updated_at >= keep_failed)))))
        for sha in hashes - needed:
            self.media.delete(sha)

    def _found(self, request: PostRequest, landed: Landed) -> PostResult:
        base = self.core.settings.reddit.reddit_url.rstrip("/")
        return PostResult(True, request.subreddit, reddit_id=landed.reddit_id,
                          permalink=f"{base}/r/{request.subreddit}/comments/{landed.reddit_id}/")


def cost(request: PostRequest) -> int:
    """Reddit API requests a post is expected to make (submit, uploads, comment, look)."""
    return 3 + len(request.images) + (1 if request.first_comment else 0)
