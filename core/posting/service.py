"""`PostingService`: the one door to posting, for chat, CLI, CSV import and the worker.

A post, now or later, is a job row with one target per subreddit; "Post now" is a job
due now that the caller then runs at once (`run_job`), racing nobody: the same claim
that lets a worker pick it up lets exactly one of them post it. Creating a job stores
its photos (protected first when the creator shields photos) before the job becomes
visible, so the worker never needs the chat platform to fetch them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.billing.tiers import Meter
from core.db.models import User
from core.events import EventKind
from core.posting import claims
from core.posting.media import MediaStore
from core.posting.models import AccountPause, PostJob, PostMedia, PostTarget, State
from core.posting.views import JobView, TargetSpec, TargetView
from core.posting.when import PAST_GRACE, WhenError, tier_horizon
from core.reddit.types import PostRequest

if TYPE_CHECKING:
    from core.bootstrap import Core
    from core.posting.engine import Engine
    from core.posting.views import Claimed

DAY = timedelta(hours=24)
DEPTH_EVERY = 15.0  # seconds between queue depth counts (a count per claim is waste)
_Other = aliased(PostTarget)  # another target of the same account, in the claim query
ACCOUNT_CLAIMS = 0x7407_7002  # `claims.lock_owners` kind: claims for one Reddit account


class PostingService:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.db = core.db
        self.clock = core.clock
        self.settings = core.settings.posting
        self.media = MediaStore.from_settings(core.settings)
        self._engine: Engine | None = None
        self._depth_at = float("-inf")

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from core.posting.engine import Engine  # the Reddit client stack, when posting

            self._engine = Engine(self.core)
        return self._engine

    # -- creating ------------------------------------------------------------------
    def check_time(self, user: User, when: datetime) -> datetime:
        """`when` if it is neither past nor beyond the tier's horizon; else WhenError."""
        now = self.clock.now()
        if when < now - PAST_GRACE:
            raise WhenError("when_past", {"when": when.isoformat(), "example": "tomorrow 9pm"})
        days = tier_horizon(self.core.settings, user.tier)
        if days is not None and when > now + timedelta(days=days):
            raise WhenError("when_beyond_horizon", {"days": days, "example": "in 3 days"})
        return max(when, now)

    def spacing(self, request: PostRequest, n: int) -> timedelta:
        """The gap between subreddits for the same photos (0: no spacing needed)."""
        per_day = self.settings.same_media_per_day
        if not request.images or n <= per_day:
            return timedelta(0)
        return DAY / per_day

    async def create_job(
        self, *, user_id: int, account_id: int, request: PostRequest,
        targets: Sequence[TargetSpec], due_at: datetime | None = None, source: str = "chat",
        idempotency_key: str | None = None, space: bool = True,
    ) -> JobView:
        """Queue `request` (its images, link or text) for every target at `due_at`."""
        if not targets:
            raise ValueError("a job needs at least one subreddit")
        async with self.db.session() as session:
            if idempotency_key is not None:
                job_id = await session.scalar(select(PostJob.id).where(
                    PostJob.idempotency_key == idempotency_key))
                if job_id is not None:
                    return await self._view(session, job_id)
            user = await session.get(User, user_id)
            if user is None:
                raise ValueError(f"no user {user_id}")
            when = self.check_time(user, due_at or self.clock.now())
            await self.core.billing.check(session, user, Meter.POST, len(targets))
            level = (await self.core.reddit.accounts.prefs(session, user_id)).protect_level \
                if request.images else None
        # Outside any transaction: protecting photos takes CPU seconds.
        stored = [await self._store(request, level) for _ in targets]
        gap = self.spacing(request, len(targets)) if space else timedelta(0)
        now = self.clock.now()
        async with self.db.session() as session:
            job = PostJob(
                user_id=user_id, account_id=account_id, kind=request.kind, body=request.body,
                url=request.url, nsfw=request.nsfw, spoiler=request.spoiler,
                first_comment=request.first_comment, content_key=request.content_hash(),
                shield_level=level, source=source, idempotency_key=idempotency_key,
                created_at=now, updated_at=now)
            session.add(job)
            await session.flush()
            # Each subreddit is a post; paid for with the job, so a rollback gives it back.
            await self.core.billing.consume(session, user, Meter.POST, f"post-job:{job.id}",
                                            len(targets))
            for i, (spec, media) in enumerate(zip(targets, stored, strict=True)):
                due = when + gap * i
                target = PostTarget(
                    job_id=job.id, account_id=account_id, position=i, subreddit=spec.subreddit,
                    title=spec.title, flair_id=spec.flair_id, flair_text=spec.flair_text,
                    due_at=due, not_before=due, state=State.QUEUED, attempts=0,
                    error_params={}, updated_at=now)
                session.add(target)
                await session.flush()
                for pos, (sha, name, caption) in enumerate(media):
                    session.add(PostMedia(target_id=target.id, position=pos, sha256=sha,
                                          filename=name, caption=caption))
            await self.core.events.record(session, EventKind.POST_CREATED, user_id,
                                          job_id=job.id, targets=len(targets), source=source)
            if when > now:  # for later, not "post now"
                await self.core.events.record(session, EventKind.POST_SCHEDULED, user_id,
                                              job_id=job.id, due_at=when.isoformat())
            self.core.events.feature_used("schedule" if when > now else "post", user_id)
            await session.flush()
            view = await self._view(session, job.id)
        # A cleanup racing this create may have removed a shared file: put it back.
        for media in stored:
            await self._restore(media, request, level)
        return replace(view, spaced=gap > timedelta(0))

    async def _store(self, request: PostRequest, level: str | None
                     ) -> tuple[tuple[str, str, str], ...]:
        shielded = await self.core.reddit.shield_images(request, level) if level else request
        return tuple([(await self.media.put(item.data), item.filename or "photo.jpg",
                       item.caption) for item in shielded.images])

    async def _restore(self, media: tuple[tuple[str, str, str], ...], request: PostRequest,
                       level: str | None) -> None:
        if level is None:
            for (sha, _, _), item in zip(media, request.images, strict=True):
                if not self.media.exists(sha):
                    await self.media.put(item.data)

    # -- reading ---------------------------------------------------------------------
    async def _view(self, session: AsyncSession, job_id: int) -> JobView:
        job = await session.get(PostJob, job_id)
        if job is None:
            raise LookupError(job_id)
        rows = await session.scalars(select(PostTarget).where(PostTarget.job_id == job_id)
                                     .order_by(PostTarget.position))
        return JobView(job.id, job.user_id, job.account_id, job.kind, job.created_at, tuple(
            TargetView(t.id, t.subreddit, t.title, t.due_at, t.state, t.permalink, t.error)
            for t in rows))

    async def get_job(self, user_id: int, job_id: int) -> JobView | None:
        async with self.db.session() as session:
            job = await session.get(PostJob, job_id)
            if job is None or job.user_id != user_id:
                return None
            return await self._view(session, job_id)

    async def list_jobs(self, user_id: int, *, include_done: bool = False) -> list[JobView]:
        """The creator's jobs with something still to do (or all of them), soonest first."""
        async with self.db.session() as session:
            stmt = select(PostTarget.job_id).join(PostJob).where(PostJob.user_id == user_id)
            if not include_done:
                stmt = stmt.where(PostTarget.state.in_((*State.LIVE, State.FAILED)))
            ids = set(await session.scalars(stmt))
            views = [await self._view(session, i) for i in ids]
        return sorted(views, key=lambda v: (v.due_at, v.id))

    # -- changing ----------------------------------------------------------------------
    async def cancel(self, user_id: int, job_id: int) -> JobView | None:
        """Cancel what hasn't gone out (`_stop`); the job's photos are released."""
        async with self.db.session() as session:
            job = await session.get(PostJob, job_id)
            if job is None or job.user_id != user_id:
                return None
            media = await self._stop(session, PostJob.id == job_id, self.clock.now())
            view = await self._view(session, job_id)
        await self.release(media)
        return view

    async def cancel_all_for_user(self, session: AsyncSession, user_id: int
                                  ) -> tuple[str, ...]:
        """Cancel every job of `user_id` as `cancel` does, in the caller's transaction
        (deleting an account cancels in the same commit as the rest); returns the photos
        to hand to `release` once it is committed."""
        return await self._stop(session, PostJob.user_id == user_id, self.clock.now())

    async def release(self, media: Sequence[str]) -> None:
        """Delete the stored photos no live target needs any more (after the commit)."""
        await self.engine.release_media(tuple((sha, "", "") for sha in media))

    @staticmethod
    async def _stop(session: AsyncSession, jobs: ColumnElement[bool], now: datetime
                    ) -> tuple[str, ...]:
        """The one rule of cancelling, for the jobs `jobs` selects: queued and failed
        targets never go out (their claim dropped); a target being posted right now
        (running, claimed) can't be stopped once it is being sent: it finishes and is
        reported as usual, but if it goes back to the queue (a rate limit, an answer
        lost) or had not been sent yet, it is never sent (`Engine._mark_attempted`).
        A queued or failed target with an earlier try that may have landed (its
        *attempted* mark is set: the answer was lost) stays in the queue, so the engine
        looks on Reddit for it first: found, it is recorded as posted like any other
        post; not there, the cancel gate cancels it without sending. A job is marked
        cancelled when a target of it was cancelled, is running or is being looked for
        (`still_out`). Returns the photos of the jobs' targets, for `release` after the
        commit."""
        ids = select(PostJob.id).where(jobs)
        open_ = (PostTarget.job_id.in_(ids),
                 PostTarget.state.in_((State.QUEUED, State.FAILED)))
        hit = set(await session.scalars(
            update(PostTarget).where(*open_, PostTarget.attempted_at.is_(None))
            .values(state=State.CANCELLED, updated_at=now, claim_token=None)
            .returning(PostTarget.job_id).execution_options(synchronize_session=False)))
        # A failed one is not picked up by itself: back in the queue, to be looked for.
        await session.execute(
            update(PostTarget).where(*open_, PostTarget.state == State.FAILED)
            .values(state=State.QUEUED, not_before=now, updated_at=now, claim_token=None)
            .execution_options(synchronize_session=False))
        hit |= set(await session.scalars(select(PostTarget.job_id).where(
            PostTarget.job_id.in_(ids), PostTarget.state.in_(State.LIVE))))
        if hit:
            await session.execute(
                update(PostJob).where(PostJob.id.in_(hit))
                .values(cancelled_at=func.coalesce(PostJob.cancelled_at, now), updated_at=now)
                .execution_options(synchronize_session=False))
        return tuple(await session.scalars(
            select(PostMedia.sha256).join(PostTarget).where(PostTarget.job_id.in_(ids))))

    @staticmethod
    def still_out(view: JobView) -> tuple[TargetView, ...]:
        """After `cancel`: the targets whose fate Reddit decides (one being sent right
        now, or an earlier try being looked for); the rest will never be posted."""
        return tuple(t for t in view.targets if t.state in State.LIVE)

    async def discard(self, user_id: int, job_id: int) -> bool:
        """Remove a job nothing of which was tried yet (an import undone); True if gone."""
        async with self.db.session() as session:
            job = await session.get(PostJob, job_id)
            if job is None or job.user_id != user_id:
                return False
            tried = await session.scalar(select(PostTarget.id).where(
                PostTarget.job_id == job_id,
                (PostTarget.state != State.QUEUED) | PostTarget.attempted_at.is_not(None)))
            if tried is not None:
                return False
            media = tuple(await session.scalars(select(PostMedia.sha256).join(PostTarget)
                                                .where(PostTarget.job_id == job_id)))
            await session.delete(job)
        await self.engine.release_media(tuple((sha, "", "") for sha in media))
        return True

    async def reschedule(self, user_id: int, job_id: int, when: datetime) -> JobView | None:
        """Move the job's remaining targets (spacing kept) so the first is at `when`; a
        failed target is queued again, for a retry after fixing what stopped it."""
        now = self.clock.now()
        async with self.db.session() as session:
            job = await session.get(PostJob, job_id)
            user = await session.get(User, user_id)
            if job is None or user is None or job.user_id != user_id:
                return None
            when = self.check_time(user, when)
            rows = list(await session.scalars(select(PostTarget).where(
                PostTarget.job_id == job_id,
                PostTarget.state.in_((State.QUEUED, State.FAILED)))
                .order_by(PostTarget.due_at)))
            if rows:
                shift = when - rows[0].due_at
                for row in rows:
                    row.due_at = row.due_at + shift
                    row.not_before = row.due_at
                    row.state, row.error, row.updated_at = State.QUEUED, None, now
            job.updated_at = now
            return await self._view(session, job_id)

    # -- running ---------------------------------------------------------------------
    async def claim_due(self, limit: int, job_id: int | None = None) -> list[Claimed]:
        """Claim up to `limit` due targets, at most one per account (an account's posts
        go out one at a time, in order), none of a paused account."""
        now = self.clock.now()
        async with self.db.session() as session:
            token, rows = await self.claim_in(session, now, limit, job_id)
            jobs = {j.id: j for j in await session.scalars(
                select(PostJob).where(PostJob.id.in_({r.job_id for r in rows})))}
            if job_id is None:  # the scheduler's claims, not "Post now"
                await self._measure(session, now, rows)
        return [await self.engine.snapshot(r, token, jobs[r.job_id]) for r in rows]

    async def claim_in(self, session: AsyncSession, now: datetime, limit: int,
                       job_id: int | None = None) -> tuple[str, list[PostTarget]]:
        """`claim_due`'s claim, in `session` (committing it is the caller's). Another
        process may be claiming for the same account right now, its claim not yet
        committed so not seen as busy: claims are serialised per account
        (`claims.lock_owners`) and the account is checked again once it is ours."""
        busy = exists().where(and_(
            PostTarget.account_id == _Other.account_id, _Other.state == State.RUNNING,
            _Other.lease_until >= now, _Other.id != PostTarget.id))
        paused = exists().where(and_(AccountPause.account_id == PostTarget.account_id,
                                     AccountPause.paused_until > now))
        stmt = (select(PostTarget).where(claims.claimable(PostTarget, now), ~busy, ~paused)
                .order_by(PostTarget.due_at, PostTarget.id).limit(limit * 4))
        if job_id is not None:
            stmt = stmt.where(PostTarget.job_id == job_id)

        def one_per_account(rows: list[PostTarget]) -> list[PostTarget]:
            seen: set[int] = set()
            chosen: list[PostTarget] = []
            for row in rows:
                if row.account_id not in seen and len(chosen) < limit:
                    seen.add(row.account_id)
                    chosen.append(row)
            return chosen

        async def still_free(rows: list[PostTarget]) -> list[PostTarget]:
            accounts = {r.account_id for r in rows}
            await claims.lock_owners(session, ACCOUNT_CLAIMS, accounts)
            taken = set(await session.scalars(select(PostTarget.account_id).where(
                PostTarget.account_id.in_(accounts), PostTarget.state == State.RUNNING,
                PostTarget.lease_until >= now, PostTarget.id.not_in({r.id for r in rows}))))
            return [r for r in rows if r.account_id not in taken]

        return await claims.claim(session, stmt, model=PostTarget, now=now,
                                  lease=self.engine.lease, pick=one_per_account,
                                  recheck=still_free)

    async def _measure(self, session: AsyncSession, now: datetime,
                       rows: Sequence[PostTarget]) -> None:
        """Scheduler lateness (first tries only) and, every few seconds, queue depth."""
        metrics = self.core.analytics.metrics
        for row in rows:
            if row.attempts == 0:
                metrics.observe_lateness((now - row.due_at).total_seconds())
        if self.clock.monotonic() - self._depth_at >= DEPTH_EVERY:
            self._depth_at = self.clock.monotonic()
            metrics.set_queue_depth(int(await session.scalar(
                select(func.count()).select_from(PostTarget).where(
                    PostTarget.state == State.QUEUED, PostTarget.not_before <= now)) or 0))

    async def run_due(self, limit: int = 8) -> int:
        """Claim and run what is due now, concurrently; how many targets ran."""
        claimed = await self.claim_due(limit)
        await asyncio.gather(*(self.engine.run(c) for c in claimed))
        return len(claimed)

    async def run_job(self, user_id: int, job_id: int) -> JobView | None:
        """Post a job's due targets now, one after another (the "Post now" path)."""
        while await self.claim_and_run_one(job_id):
            pass
        return await self.get_job(user_id, job_id)

    async def claim_and_run_one(self, job_id: int) -> bool:
        claimed = await self.claim_due(1, job_id=job_id)
        for c in claimed:
            await self.engine.run(c)
        return bool(claimed)
