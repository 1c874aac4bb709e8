"""/queue: the creator's upcoming posts, each to post now, move or cancel.

The list is read from core's posting engine (the same jobs `thottopilot queue` shows),
a page at a time within the layout limits: one button per post, and a post's own
message has its three actions. Every handler commits the update's transaction before
calling the engine, which works in its own short transactions (on SQLite a held write
lock would make it wait).
"""

from __future__ import annotations

from bot.conversation.context import ButtonExpired, FlowContext, page_of
from bot.conversation.events import Command, Press, Text
from bot.conversation.flow import Flow
from bot.conversation.replies import fit_label
from bot.flows import post_zone as zones
from bot.flows.post_report import report
from core.posting.service import JobView, PostingService
from core.posting.when import WhenError, parse_when, tier_horizon
from core.texts import schedule as ts

LIST, WHEN, ZONE = "list", "when", "zone"


class QueueFlow(Flow):
    name = "queue"
    commands = ("queue",)
    help_line = ts.QUEUE_HELP

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        await self._list(ctx, 0)

    async def prompt(self, ctx: FlowContext) -> None:
        if ctx.step == WHEN and isinstance(ctx.data.get("job"), int):
            await self._ask_when(ctx, int(ctx.data["job"]))
        else:
            await self._list(ctx, 0)

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        action, args = press.action, press.args
        if action == "page":
            await self._list(ctx, page_of(args, 0))
            return
        if action == "tz" and len(args) == 2:
            ctx.require_step(ZONE)
            await zones.set_zone(ctx, zones.zone_from_press(ctx, args[1]))
            await self._ask_when(ctx, _job_arg(args))
            return
        job_id = _job_arg(args)
        await ctx.checkpoint()
        service = PostingService(ctx.core)
        view = await service.get_job(ctx.user.id, job_id)
        if view is None:
            await ctx.reply(ts.QUEUE_GONE)
            return
        if action == "job":
            await self._show(ctx, view)
        elif action == "cancel":
            cancelled = await service.cancel(ctx.user.id, job_id)
            ctx.finish()
            out = service.still_out(cancelled or view)  # a try Reddit may have taken
            await ctx.reply(ts.cancelled(job_id, [tv.subreddit for tv in out]))
        elif action == "now":
            await self._post_now(ctx, service, view)
        elif action == "move":
            if not await zones.zone_known(ctx):
                ctx.goto(ZONE, job=job_id)
                await ctx.reply(ts.ASK_ZONE, zones.zone_buttons(ctx, "tz", str(job_id)))
                return
            await self._ask_when(ctx, job_id)
        else:
            raise ButtonExpired

    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        job = ctx.data.get("job")
        if ctx.step == ZONE and isinstance(job, int):
            name = zones.zone_from_text(msg.text)
            if name is None:
                await ctx.reply(ts.when_error("when_bad_zone",
                                              {"zone": msg.text, "example": "Europe/Berlin"}))
                return
            await zones.set_zone(ctx, name)
            await self._ask_when(ctx, job)
            return
        if ctx.step != WHEN or not isinstance(job, int):
            await self._list(ctx, 0)
            return
        horizon = tier_horizon(ctx.core.settings, ctx.user.tier)
        try:
            when = parse_when(msg.text, zones.zone_name(ctx), ctx.core.clock.now(),
                              horizon_days=horizon)
            await ctx.checkpoint()
            view = await PostingService(ctx.core).reschedule(ctx.user.id, job, when)
        except WhenError as exc:
            await ctx.reply(ts.when_error(exc.code, dict(exc.params)))
            return
        ctx.finish()
        if view is None:
            await ctx.reply(ts.QUEUE_GONE)
            return
        await ctx.reply(ts.RESCHEDULED.format(job=job, when=zones.shown(ctx, view.due_at)))

    # -- views ---------------------------------------------------------------------
    async def _list(self, ctx: FlowContext, page: int) -> None:
        ctx.goto(LIST)
        await ctx.checkpoint()
        views = await PostingService(ctx.core).list_jobs(ctx.user.id)
        if not views:
            ctx.finish()
            await ctx.reply(ts.QUEUE_CHAT_EMPTY)
            return
        rows = [[ctx.button(fit_label(_label(ctx, v)), "job", str(v.id))] for v in views]
        await ctx.reply(ts.QUEUE_HEADER.format(n=len(views)), ctx.paged(rows, page, "page"))

    async def _show(self, ctx: FlowContext, view: JobView) -> None:
        lines = "\n".join(ts.QUEUE_JOB_LINE.format(
            sub=tv.subreddit, when=zones.shown(ctx, tv.due_at),
            state=ts.STATES.get(tv.state, tv.state),
            extra=f" ({tv.error.replace('_', ' ')})" if tv.error else "")
            for tv in view.targets)
        title = view.targets[0].title if view.targets else ""
        await ctx.reply(ts.QUEUE_JOB.format(job=view.id, title=title, lines=lines), [
            [ctx.button(ts.QUEUE_POST_NOW, "now", str(view.id)),
             ctx.button(ts.QUEUE_RESCHEDULE, "move", str(view.id)),
             ctx.button(ts.QUEUE_CANCEL, "cancel", str(view.id))],
            [ctx.button(ts.QUEUE_BACK, "page", "0")]])

    async def _ask_when(self, ctx: FlowContext, job_id: int) -> None:
        ctx.goto(WHEN, job=job_id)
        await ctx.reply(ts.ASK_RESCHEDULE.format(job=job_id, zone=zones.zone_name(ctx)))

    async def _post_now(self, ctx: FlowContext, service: PostingService, view: JobView) -> None:
        """Due now, run at once in this update (the engine's claims keep it once)."""
        left = [tv.id for tv in view.targets if tv.state in ("queued", "failed")]
        if not left:
            await ctx.reply(ts.QUEUE_NOTHING_LEFT.format(job=view.id))
            return
        await service.reschedule(ctx.user.id, view.id, ctx.core.clock.now())
        await service.run_job(ctx.user.id, view.id)
        ctx.finish()
        await report(ctx, left, view.account_id)


def _job_arg(args: tuple[str, ...]) -> int:
    if not args or not args[0].isdigit() or len(args[0]) > 12:
        raise ButtonExpired
    return int(args[0])


def _label(ctx: FlowContext, view: JobView) -> str:
    first = min(view.targets, key=lambda tv: tv.due_at)
    more = f" +{len(view.targets) - 1}" if len(view.targets) > 1 else ""
    return ts.QUEUE_BUTTON.format(job=view.id, when=zones.shown(ctx, view.due_at),
                                  sub=first.subreddit, more=more)
