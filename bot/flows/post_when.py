"""/post's Schedule and Best time: a job for later in core's posting engine.

A time is read in the creator's zone by core.posting.when ("tomorrow 9pm", "fri
18:30", "in 2h", ISO-8601), against their tier's horizon. A time that can't be read,
or has passed, is refused with an example and the question stays open: it is never
taken to mean "now".

Best time: each subreddit's best hour this week for this creator, learned from their
own results there and the subreddit's busy hours (core.outcomes.besttime, asked by
`post_best`). Without any data it is the documented default: Reddit's crowd is mostly
in the US, so the next morning scroll (09:00 New York) for safe-for-work posts or the
late evening (22:00 New York) for 18+ ones - the target's NSFW mark, which the rule
check sets from the subreddit's own 18+ flag - at least 30 minutes ahead (`best_time`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.conversation.context import FlowContext
from bot.flows import next_steps as nxt
from bot.flows import post_plan as plan
from bot.flows import post_run as run
from bot.flows import post_zone as zones
from bot.flows.post_best import best_times
from bot.flows.post_state import PostDraft, Target, draft_of, save
from bot.flows.post_steps import READY, draft_and_account
from core import claims
from core.posting.when import PAST_GRACE, WhenError, local, parse_when, tier_horizon
from core.texts import schedule as ts

ZONE, WHEN = "zone", "when"
BEST_ZONE = "America/New_York"
SFW_HOUR, NSFW_HOUR = 9, 22
MIN_LEAD = timedelta(minutes=30)


def best_time(target: Target, now: datetime) -> datetime:
    """The documented default "best time" for one subreddit (see the module doc)."""
    tz = ZoneInfo(BEST_ZONE)
    at = time(NSFW_HOUR if target.nsfw else SFW_HOUR)
    day = now.astimezone(tz).date()
    for ahead in range(3):
        when = local(day + timedelta(days=ahead), at, tz)
        if when >= now + MIN_LEAD:
            return when
    raise AssertionError("unreachable: a day ahead is always later")


async def ask_when(ctx: FlowContext) -> None:
    """The Schedule button: the zone first (once), then the time."""
    ctx.require_step(READY, WHEN, ZONE)
    if not await zones.zone_known(ctx):
        await ask_zone(ctx, "at")
        return
    save(ctx, WHEN, draft_of(ctx))
    await ctx.reply(ts.ASK_WHEN.format(zone=zones.zone_name(ctx)),
                    [[ctx.button(ts.CHANGE_ZONE, "zone", "at")]])


async def ask_zone(ctx: FlowContext, then: str) -> None:
    ctx.require_step(READY, WHEN, ZONE)
    ctx.goto(ZONE, then=then if then in ("at", "best") else "at")
    await ctx.reply(ts.ASK_ZONE, zones.zone_buttons(ctx, "tz", then))


async def zone_pressed(ctx: FlowContext, args: tuple[str, ...]) -> None:
    ctx.require_step(ZONE)
    await zones.set_zone(ctx, zones.zone_from_press(ctx, args[-1]))
    await _after_zone(ctx, args[0] if len(args) > 1 else "at")


async def _after_zone(ctx: FlowContext, then: str) -> None:
    ctx.forget("then")
    save(ctx, READY, draft_of(ctx))
    if then == "best":
        await best(ctx)
    else:
        await ask_when(ctx)


async def on_text(ctx: FlowContext, text: str) -> bool:
    """Text in ZONE or WHEN; False if the step is neither."""
    if ctx.step == ZONE:
        name = zones.zone_from_text(text)
        if name is None:
            await ctx.reply(ts.when_error("when_bad_zone",
                                          {"zone": text, "example": "Europe/Berlin"}))
            return True
        await zones.set_zone(ctx, name)
        await _after_zone(ctx, str(ctx.data.get("then") or "at"))
        return True
    if ctx.step != WHEN:
        return False
    now = ctx.core.clock.now()
    horizon = tier_horizon(ctx.core.settings, ctx.user.tier)
    try:
        when = parse_when(text, zones.zone_name(ctx), now, horizon_days=horizon)
    except WhenError as exc:
        params = dict(exc.params)
        await ctx.reply(ts.when_error(exc.code, params),
                        [[ctx.button(ts.CHANGE_ZONE, "zone", "at")]])
        return True
    save(ctx, READY, replace(draft_of(ctx), at=when.isoformat()))
    if when <= now:  # the creator typed "now"
        await run.post_all(ctx)
    else:
        await commit(ctx, "sched", None)
    return True


async def best(ctx: FlowContext, space: bool | None = None) -> None:
    ctx.require_step(READY, WHEN)
    if not await zones.zone_known(ctx):
        await ask_zone(ctx, "best")
        return
    await ctx.reply(ts.BEST_TIME_IS.format(sfw_hour=SFW_HOUR, nsfw_hour=NSFW_HOUR))
    await commit(ctx, "best", space)


async def commit(ctx: FlowContext, mode: str, space: bool | None) -> None:
    """Queue the draft's subreddits for later: at the typed time (`sched`) or each at
    its best time (`best`); ask first when one photo would be spread out."""
    ctx.require_step(READY, WHEN)
    ready = await draft_and_account(ctx)
    if ready is None:
        return
    draft, account = ready
    now = ctx.core.clock.now()
    at = datetime.fromisoformat(draft.at) if draft.at else now
    if mode == "sched" and at < now - PAST_GRACE:  # the spacing question sat too long
        save(ctx, WHEN, draft)
        await ctx.reply(ts.when_error("when_past", {"when": zones.shown(ctx, at),
                                                    "example": "tomorrow 9pm"}))
        return

    fresh = plan.unqueued(draft)
    learned = (await best_times(ctx, [draft.targets[i] for i in fresh])
               if mode == "best" else {})

    def due(target: Target) -> datetime:
        if mode != "best":
            return at
        return learned.get(target.sub) or best_time(target, now)

    try:  # before anything is queued: a time the plan can't take is asked again
        for i in fresh:
            plan.posting(ctx).check_time(ctx.user, due(draft.targets[i]))
    except WhenError as exc:
        await _refused(ctx, draft, exc)
        return
    crowd = plan.crowded(ctx, draft, fresh, due) if space is None else None
    if crowd is not None:
        await run.ask_spacing(ctx, crowd, mode)
        return
    blobs = await plan.download(ctx, draft, fresh)
    ctx.goto(run.POSTING)
    row_id, db, clock = ctx.row.id, ctx.core.db, ctx.core.clock
    await ctx.checkpoint()  # the claim; a double tap fails here
    try:
        async with claims.conversation_heartbeat(db, row_id, clock):
            draft, views = await plan.create_jobs(ctx, draft, account.id, blobs, fresh, due,
                                                  space=space is not False)
    except WhenError as exc:  # the time went bad since the check (it sat at the edge)
        await _refused(ctx, draft_of(ctx), exc)
        return
    ctx.finish()
    lines = "\n".join(ts.SCHEDULED_LINE.format(sub=tv.subreddit,
                                               when=zones.shown(ctx, tv.due_at))
                      for view in views for tv in view.targets)
    await ctx.reply(ts.SCHEDULED_CHAT.format(lines=lines),
                    nxt.buttons(ctx, nxt.QUEUE, nxt.POST))  # the text names /queue


async def _refused(ctx: FlowContext, draft: PostDraft, exc: WhenError) -> None:
    """A due time the creator's plan can't queue (past, or beyond its horizon): say so
    and ask for a time, the draft kept as it is."""
    save(ctx, WHEN, draft)
    await ctx.reply(ts.when_error(exc.code, dict(exc.params)),
                    [[ctx.button(ts.CHANGE_ZONE, "zone", "at")]])
