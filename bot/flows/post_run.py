"""The /post flow's last step: posting every ready target, exactly once.

Posting is claimed first (step POSTING, committed), so a second press of "Post now" -
a double tap, or the same button handled by another process - cannot post again. While
it works the run beats (`core.claims.heartbeat`: the row's `updated_at` every few
seconds), so a run that died with its process is recognised within seconds: /cancel
then works and "Post now" takes over. Each target is marked `attempted` (committed)
just before its submit and `posted` (with its link) as soon as it is live: a failure
later on loses nothing, "Post now" again only retries what did not go up, and a target
whose earlier attempt may have landed is looked up on Reddit before it is posted again.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy.exc import SQLAlchemyError

from bot.conversation.context import FlowContext
from bot.conversation.replies import Button
from bot.flows.post_state import IMAGE_KINDS, PostDraft, draft_of, save
from bot.flows.post_steps import READY, account_of, request_for, show_ready
from bot.texts import reddit as t
from core import claims
from core.reddit.models import RedditAccount
from core.reddit.service import PostOutcome
from core.reddit.types import MediaItem

log = logging.getLogger(__name__)

POSTING = "posting"


def _abandoned(ctx: FlowContext) -> bool:
    """A POSTING step whose run stopped beating died (restart, crash): "Post now" may
    take over, still skipping the targets already posted, and /cancel works."""
    return claims.is_stale(ctx.row.updated_at, ctx.core.clock.now())


def is_posting(ctx: FlowContext) -> bool:
    """A live posting run (not one that died with its process)."""
    return ctx.step == POSTING and not _abandoned(ctx)


async def still_posting(ctx: FlowContext) -> None:
    """What to say in step POSTING: wait, or (a dead run) offer to post what's left."""
    if _abandoned(ctx):
        await show_ready(ctx)
    else:
        await ctx.reply(t.STILL_POSTING)


async def post_all(ctx: FlowContext) -> None:
    """Post every pending target: claim, then one commit per target that went live."""
    if is_posting(ctx):
        await ctx.reply(t.STILL_POSTING)  # a second tap while the first is at work
        return
    ctx.require_step(READY, POSTING)
    draft = draft_of(ctx)
    account = await account_of(ctx)
    if account is None:
        ctx.finish()
        await ctx.reply(t.NEED_ACCOUNT)
        return
    pending = [i for i, target in enumerate(draft.targets) if target.pending]
    # Before the claim: a failed download leaves the state as it was (READY).
    blobs = await _download(ctx, draft, pending)
    ctx.goto(POSTING)
    row_id, db, clock = ctx.row.id, ctx.core.db, ctx.core.clock
    await ctx.checkpoint()  # the claim; a concurrent second press fails here
    async with claims.heartbeat(lambda: claims.touch_conversation(db, row_id, clock.now()),
                                clock):
        failed = [i for i in pending if not await _post_one(ctx, account, blobs, i)]
    if failed:
        ctx.goto(READY)
        others_live = any(target.posted for target in draft_of(ctx).targets)
        await _tell(ctx, t.RETRY_REST if others_live else t.RETRY_ALL,
                    [[ctx.button(t.POST_NOW, "post")]])
    else:
        ctx.finish()


async def _download(ctx: FlowContext, draft: PostDraft, pending: list[int]
                    ) -> dict[str, bytes]:
    """Each photo of the pending targets, once (targets often share them)."""
    blobs: dict[str, bytes] = {}
    for i in pending:
        target = draft.targets[i]
        if draft.kind_of(target) not in IMAGE_KINDS:
            continue
        for f in draft.files_of(target):
            if f.file.file_id not in blobs:
                blobs[f.file.file_id] = await ctx.download(f.file)
    return blobs


async def _post_one(ctx: FlowContext, account: RedditAccount, blobs: dict[str, bytes], i: int
                    ) -> bool:
    """Post `targets[i]`; True once it is live (and that fact committed)."""
    draft = draft_of(ctx)
    target = draft.targets[i]
    sub = target.sub
    images: tuple[MediaItem, ...] = ()
    if draft.kind_of(target) in IMAGE_KINDS:
        images = tuple(MediaItem(blobs[f.file.file_id], f.file.filename or "photo.jpg",
                                 f.caption or "")
                       for f in draft.files_of(target))
    request = replace(request_for(draft, target, images), content_key=None)
    reddit = ctx.core.reddit
    if target.attempted:  # an earlier try may have landed after all: look first
        recovered = await reddit.recover(ctx.session, ctx.user, account, request)
        if recovered is not None:
            await _mark_posted(ctx, i, recovered.permalink)
            await _tell(ctx, t.ALREADY_LIVE.format(sub=sub, link=recovered.permalink))
            return True
    # Committed before the submit: tells any retry (after a crash) to check Reddit
    # before posting this target again.
    save(ctx, None, draft.with_target(i, replace(target, attempted=True)))
    await ctx.checkpoint()
    try:
        outcome = await reddit.post(ctx.session, ctx.user, account, request,
                                    confirm_warnings=True, release=ctx.checkpoint)
    except SQLAlchemyError:
        raise  # the session is unusable; the 'attempted' mark makes a retry look first
    except Exception:  # untranslated: one subreddit's trouble must not stop the others
        log.exception("posting to r/%s failed", sub)
        await _tell(ctx, t.POST_FAILED.format(sub=sub, reason=t.POST_ERROR_UNKNOWN))
        return False
    result = outcome.result
    live = result is not None and result.ok
    if result is not None and result.ok:
        await _mark_posted(ctx, i, result.permalink)
    await _tell(ctx, _outcome_text(sub, outcome))
    if result is not None and result.comment_error:
        await _tell(ctx, t.COMMENT_FAILED.format(
            reason=t.error(result.comment_error, {"subreddit": sub})))
    return live


async def _mark_posted(ctx: FlowContext, i: int, link: str | None) -> None:
    """Record target `i` as live and commit: kept whatever follows."""
    draft = draft_of(ctx)
    save(ctx, None, draft.with_target(i, replace(draft.targets[i], posted=True, link=link)))
    await ctx.checkpoint()


async def _tell(ctx: FlowContext, text: str, buttons: list[list[Button]] | None = None) -> None:
    """Report progress while posting; a message that can't be delivered (say, a chat
    rate limit) must not undo or stop posts that did happen."""
    try:
        await ctx.reply(text, buttons)
    except Exception:
        log.warning("could not deliver a posting report", exc_info=True)


def _outcome_text(sub: str, outcome: PostOutcome) -> str:
    result = outcome.result
    if result is None:  # the verdict changed since the check (rules refreshed)
        issues = outcome.prepared.verdict.issues if outcome.prepared is not None else ()
        issue = next(iter(issues), None)
        if issue is None:
            return t.POST_FAILED.format(sub=sub, reason=t.POST_ERROR_UNKNOWN)
        return t.POST_FAILED.format(sub=sub, reason=t.issue(issue.code, issue.params))
    if result.ok:
        if result.permalink:
            return t.POSTED.format(sub=result.subreddit, link=result.permalink)
        return t.POSTED_NO_LINK.format(sub=result.subreddit)
    return t.POST_FAILED.format(
        sub=sub, reason=t.error(result.error or "reddit_rejected", result.params))
