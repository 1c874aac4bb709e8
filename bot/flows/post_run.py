"""The /post flow's last step: hand the ready subreddits to core's posting engine.

"Post now" is a job due now (core.posting.PostingService), run at once in this update;
the engine owns the exactly-once protocol (claim, *attempted* mark before the submit,
*posted* mark with the link, a look on Reddit before any retry), the same one the
scheduler and the CLI go through. What stays here is the chat's side of it:

- The run is claimed in the conversation first (step POSTING, committed), so a double
  tap - or the same button handled by another process - loses before doing anything,
  and while the run works it beats (`core.claims.heartbeat`) so a run that died with
  its process is recognised within seconds: /cancel then works and "Post now" takes
  over. Taking over cannot post twice: the jobs are found again by their idempotency
  keys and the engine's claims decide who posts.
- Outcomes are reported as they are: live with its link, not posted with the reason
  and next step, or queued (Reddit down, a rate limit) to go out by itself.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from bot.conversation.context import FlowContext
from bot.conversation.replies import Keyboard
from bot.flows import post_plan as plan
from bot.flows.post_report import report
from bot.flows.post_state import draft_of, save
from bot.flows.post_steps import READY, draft_and_account, show_ready
from core import claims
from core.posting.models import State
from core.texts import reddit as t
from core.texts import schedule as ts

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


def space_flag(args: tuple[str, ...]) -> bool | None:
    """The creator's answer to the spacing question a button carries (None: not asked)."""
    return {"1": True, "0": False}.get(args[-1]) if args else None


async def ask_spacing(ctx: FlowContext, crowd: tuple[int, timedelta, datetime, list[int]],
                      action: str) -> None:
    """Explain why one photo to many subreddits is spread out; let them override it."""
    n, gap, first, group = crowd
    per_day = ctx.core.settings.posting.same_media_per_day
    hours = gap.total_seconds() / 3600
    lines = plan.spacing_lines(ctx, draft_of(ctx), group, first, gap)
    await ctx.reply(ts.SPACING.format(n=n, limit_plus=per_day + 1, hours=hours, lines=lines),
                    [[ctx.button(ts.SPACE_OUT, action, "1"),
                      ctx.button(ts.TOGETHER, action, "0")]])


async def post_all(ctx: FlowContext, space: bool | None = None) -> None:
    """Post every pending target now through the engine, then say how it went."""
    if is_posting(ctx):
        await ctx.reply(t.STILL_POSTING)  # a second tap while the first is at work
        return
    ctx.require_step(READY, POSTING)
    ready = await draft_and_account(ctx)
    if ready is None:
        return
    draft, account = ready
    now = ctx.core.clock.now()
    fresh = plan.unqueued(draft)
    crowd = plan.crowded(ctx, draft, fresh, lambda _t: now) if space is None else None
    if crowd is not None:
        await ask_spacing(ctx, crowd, "post")
        return
    # Before the claim: a failed download leaves the state as it was (READY).
    blobs = await plan.download(ctx, draft, fresh)
    earlier = sorted({tg.job_id for tg in draft.targets if tg.pending and tg.job_id})
    ctx.goto(POSTING)
    row_id, db, clock = ctx.row.id, ctx.core.db, ctx.core.clock
    await ctx.checkpoint()  # the claim; a concurrent second press fails here
    async with claims.conversation_heartbeat(db, row_id, clock):
        draft, views = await plan.create_jobs(ctx, draft, account.id, blobs, fresh,
                                              lambda _t: clock.now(), space=space is not False)
        save(ctx, None, draft)
        await ctx.checkpoint()  # the draft knows its jobs before any of them runs
        service = plan.posting(ctx)
        for job_id in earlier:  # "Post now" again: what is left is due now
            await service.reschedule(ctx.user.id, job_id, clock.now())
        for job_id in [*earlier, *(v.id for v in views)]:
            await service.run_job(ctx.user.id, job_id)
    await finish_run(ctx, account.id)


async def finish_run(ctx: FlowContext, account_id: int) -> None:
    """Report the run; keep "Post now" offered while anything failed or waits."""
    draft = draft_of(ctx)
    ids = [tg.target_id for tg in draft.targets if tg.pending and tg.target_id is not None]
    outcomes = await report(ctx, ids, account_id)
    failed = waiting = False
    for i, target in enumerate(draft.targets):
        outcome = outcomes.get(target.target_id or -1)
        if outcome is None or not target.pending:
            continue
        if outcome.state == State.POSTED:
            draft = draft.with_target(i, replace(target, posted=True, link=outcome.permalink))
        failed = failed or outcome.state == State.FAILED
        waiting = waiting or outcome.waiting
    if not (failed or waiting):
        ctx.finish()
        return
    save(ctx, READY, draft)
    others_live = any(target.posted for target in draft.targets)
    if failed:
        text = t.RETRY_REST if others_live else t.RETRY_ALL
    else:
        text = ts.WAITING_REST if others_live else ts.WAITING_ALL
    await _tell(ctx, text, [[ctx.button(t.POST_NOW, "post")]])


async def _tell(ctx: FlowContext, text: str, buttons: Keyboard | None = None) -> None:
    """Report progress while posting; a message that can't be delivered (say, a chat
    rate limit) must not undo or stop posts that did happen. Sent at once, not after
    the run: each subreddit takes a while and the creator is watching. The commit
    before it is outside the `try`: a database error must not pass as a lost line."""
    await ctx.checkpoint()
    try:
        await ctx.reply(text, buttons, now=True)
    except Exception:
        log.warning("could not deliver a posting report", exc_info=True)
