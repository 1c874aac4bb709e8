"""Step 4: the time, and the end. The post becomes a job in core's posting engine
(`PostingService`, the one door for chat, CLI and worker) at the time /post's Best time
would pick, or one the creator types; or the tutorial ends saying why it didn't.

The photo is fetched from the chat once more and, when step 2 chose a level, protected
again at that level (only when the creator's accounts don't shield every post anyway,
or it would be protected twice). The job's idempotency key comes from a nonce kept in
state, so a retried tap finds the job instead of making a second one.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from bot.conversation.context import FlowContext
from bot.conversation.replies import Button, FileTooLarge, Keyboard
from bot.flows import next_steps as nxt
from bot.flows.help import info_button
from bot.flows.post_state import Target
from bot.flows.post_when import best_time
from bot.flows.post_zone import shown, zone_name
from bot.flows.tutorial.state import QUEUING, WHEN, heading, photo, post, skip_button
from bot.flows.upgrade_prompt import upgrade_prompt
from core import claims
from core.billing.errors import QuotaExceeded
from core.errors import UserFacingError
from core.posting.service import PostingService, TargetSpec
from core.posting.when import WhenError, parse_when, tier_horizon
from core.reddit.models import AccountStatus
from core.reddit.types import MediaItem, PostRequest
from core.texts import common
from core.texts import reddit as rt
from core.texts import schedule as ts
from core.texts import tutorial as t

COMPLETED = "tutorial.completed"


def _best(ctx: FlowContext) -> datetime:
    p = post(ctx)
    return best_time(Target(sub=str(p.get("sub", "")), nsfw=bool(p.get("nsfw"))),
                     ctx.core.clock.now())


def _rows(ctx: FlowContext) -> Keyboard:
    when = shown(ctx, _best(ctx))
    return [[ctx.button(t.QUEUE_AT.format(when=when), "best")],
            [info_button(ctx, "best-time")], [skip_button(ctx)]]


async def ask(ctx: FlowContext, note: str = "") -> None:
    # The nonce is fixed on entering the step: a double tap makes one job, not two.
    ctx.goto(WHEN, nonce=str(ctx.data.get("nonce") or secrets.token_hex(6)))
    text = t.WHEN_ASK.format(sub=post(ctx).get("sub", ""), when=shown(ctx, _best(ctx)),
                             zone=zone_name(ctx))
    await ctx.reply("\n\n".join(p for p in (note, heading(4), text) if p), _rows(ctx))


async def best(ctx: FlowContext) -> None:
    ctx.require_step(WHEN, QUEUING)
    await queue(ctx, _best(ctx))


async def typed(ctx: FlowContext, text: str) -> None:
    now = ctx.core.clock.now()
    horizon = tier_horizon(ctx.core.settings, ctx.user.tier)
    try:
        when = parse_when(text, zone_name(ctx), now, horizon_days=horizon)
    except WhenError as exc:
        await ctx.reply(ts.when_error(exc.code, dict(exc.params)), _rows(ctx))
        return
    await queue(ctx, max(when, now))


async def queue(ctx: FlowContext, at: datetime) -> None:
    """Make the job, or say why not and keep the step (a retry after fixing works)."""
    if await _claimed_elsewhere(ctx):
        return
    reddit = ctx.core.reddit
    if not reddit.clients.configured:
        await end(ctx, t.REDDIT_OFF, queued=False)
        return
    account = await reddit.accounts.default(ctx.session, ctx.user.id)
    if account is None or account.status != AccountStatus.ACTIVE:
        link = Button(rt.CONNECT_BUTTON, url=reddit.oauth.connect_link(ctx.user.id))
        await ctx.reply(t.NO_ACCOUNT, [[link], *_rows(ctx)[:1]])
        return
    file, p = photo(ctx), post(ctx)
    if file is None or not p:
        await end(ctx, t.NOT_QUEUED_SKIPPED, queued=False)
        return
    level = ctx.data.get("level")
    if level and (await reddit.accounts.prefs(ctx.session, ctx.user.id)).protect_level:
        level = None  # every post of this creator is shielded by the engine already
    nonce = str(ctx.data.get("nonce") or secrets.token_hex(6))
    try:  # before the claim: a failed transfer leaves the step as it was
        data = await ctx.download(file)
    except FileTooLarge:
        await ctx.reply(t.PHOTO_GONE)
        return
    request = PostRequest(subreddit=p["sub"], kind="image", title=p["title"],
                          images=(MediaItem(data, file.filename or "photo.jpg"),),
                          nsfw=bool(p["nsfw"]), flair_id=p.get("flair_id"),
                          flair_text=p.get("flair_text"))
    if await _claimed_elsewhere(ctx):
        return
    ctx.goto(QUEUING, nonce=nonce)
    await ctx.checkpoint()  # the claim: a second tap (here or in another process) loses
    db, clock, row_id = ctx.core.db, ctx.core.clock, ctx.row.id
    try:
        async with claims.conversation_heartbeat(db, row_id, clock):
            request = await reddit.shield_images(request, level)
            view = await PostingService(ctx.core).create_job(
                user_id=ctx.user.id, account_id=account.id, request=request, due_at=at,
                source="tutorial", idempotency_key=f"tutorial:{row_id}:{nonce}",
                targets=[TargetSpec(p["sub"], p["title"], p.get("flair_id"),
                                    p.get("flair_text"))])
    except (QuotaExceeded, WhenError, UserFacingError) as exc:
        ctx.goto(WHEN)
        await _refused(ctx, exc)
        return
    await end(ctx, t.QUEUED.format(sub=p["sub"], when=shown(ctx, view.due_at)), queued=True)


def queuing(ctx: FlowContext) -> bool:
    """An earlier tap is making the job right now (a claim whose process died stops
    beating and may be taken over; the nonce then finds its job instead of a second)."""
    return ctx.step == QUEUING and not claims.is_stale(ctx.row.updated_at,
                                                       ctx.core.clock.now())


async def _claimed_elsewhere(ctx: FlowContext) -> bool:
    if queuing(ctx):
        await ctx.reply(t.STILL_QUEUING)
        return True
    return False


async def _refused(ctx: FlowContext, exc: Exception) -> None:
    if isinstance(exc, QuotaExceeded):
        await ctx.reply(await upgrade_prompt(ctx, exc),
                        [[nxt.button(ctx, nxt.UPGRADE)], [skip_button(ctx)]])
    elif isinstance(exc, WhenError):
        await ctx.reply(ts.when_error(exc.code, dict(exc.params)), _rows(ctx))
    elif isinstance(exc, UserFacingError):
        await ctx.reply(common.render_error(exc), _rows(ctx))


async def end(ctx: FlowContext, text: str, *, queued: bool) -> None:
    """Finish the tutorial: record how it went, then offer what's next."""
    await ctx.core.events.record(ctx.session, COMPLETED, ctx.user.id, queued=queued,
                                 skipped=list(ctx.data.get("skipped", [])))
    ctx.finish()
    steps = (nxt.QUEUE, nxt.POST) if queued else (nxt.POST, nxt.CAPTION)
    await ctx.reply(*nxt.offer(ctx, text, *steps))
