"""/besttime r/SUB: the next three best hours to post there, for this creator, and why.

core.outcomes.besttime_service decides; this flow parses the subreddit, commits the
update's transaction (the first ask reads the subreddit's activity from Reddit) and
renders each slot with its reason: the creator's own results, the subreddit's busy
hours, or the documented default.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.conversation.context import FlowContext
from bot.conversation.events import Command, Text
from bot.conversation.flow import Flow
from bot.flows import post_zone as zones
from core.outcomes.besttime import window
from core.outcomes.besttime_service import BestTimeService
from core.texts import outcomes as t

ASK = "ask"
_SUB = re.compile(r"^(?:/?r/)?([A-Za-z0-9][A-Za-z0-9_]{1,20})$")


def subreddit_of(text: str) -> str | None:
    match = _SUB.match(text.strip())
    return match.group(1) if match else None


class BestTimeFlow(Flow):
    name = "besttime"
    commands = ("besttime",)
    help_line = t.BESTTIME_HELP

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        if not cmd.args.strip():
            ctx.goto(ASK)
            await ctx.reply(t.BESTTIME_ASK)
            return
        await self._answer(ctx, cmd.args)

    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        await self._answer(ctx, msg.text)

    async def _answer(self, ctx: FlowContext, text: str) -> None:
        sub = subreddit_of(text)
        if sub is None:
            ctx.goto(ASK)
            await ctx.reply(t.BESTTIME_BAD)
            return
        ctx.finish()
        rules = await ctx.core.reddit.subreddits.lookup(ctx.session, sub)
        zone = zones.zone_name(ctx)
        tz = ZoneInfo(zone)
        await ctx.checkpoint()  # nothing held while Reddit is asked
        plan = await BestTimeService(ctx.core).plan(ctx.user.id, sub, nsfw=rules.over18,
                                                    tz=tz)
        lines = [t.BESTTIME_HEADER.format(sub=sub, zone=zone)]
        for slot in plan.slots:
            why = t.besttime_reason(own_lift=slot.own_lift, busy=slot.busy,
                                    default=slot.default, nsfw=rules.over18,
                                    window=window(slot.at, tz))
            lines.append(t.BESTTIME_SLOT.format(when=zones.shown(ctx, slot.at), why=why))
        lines += ["", t.BESTTIME_BASIS[plan.source].format(n=plan.own_posts), t.BESTTIME_NEXT]
        await ctx.reply("\n".join(lines))
