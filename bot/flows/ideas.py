"""/ideas: where and what to post next (core.outcomes.ideas), one tap from captions.

Each idea names a subreddit, why it fits the creator, the voice that suits its crowd,
what is doing well there now and anything to check before posting. Its button writes
three titles for it right away through the caption service (same quota, same safety
gate), with the usual next steps.
"""

from __future__ import annotations

from dataclasses import asdict

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.events import Command, Press
from bot.conversation.flow import Flow
from bot.flows import next_steps as nxt
from bot.flows import post_zone as zones
from bot.flows.upgrade_prompt import upgrade_prompt
from core.billing.errors import QuotaExceeded
from core.captions import CaptionBrief
from core.onboarding.service import Onboarding
from core.outcomes.ideas import Idea, IdeasService
from core.texts import outcomes as t

LISTED = "listed"


class IdeasFlow(Flow):
    name = "ideas"
    commands = ("ideas",)
    help_line = t.IDEAS_HELP

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        niche = (await Onboarding(ctx.core.clock, ctx.core.events).profile(
            ctx.session, ctx.user)).niche
        nsfw_ok = ctx.nsfw_ok
        await ctx.checkpoint()  # rules and hot listings come from Reddit
        ideas = await IdeasService(ctx.core).ideas(ctx.user.id, nsfw_ok=nsfw_ok, niche=niche,
                                                   zone=zones.zone_name(ctx))
        if not ideas:
            await ctx.reply(t.IDEAS_NONE)
            return
        ctx.goto(LISTED, ideas=[asdict(i) for i in ideas])
        lines = [t.IDEAS_HEADER]
        for n, idea in enumerate(ideas, 1):
            lines += t.idea_lines(n, idea, _tone(idea), _style(idea))
        rows = [[ctx.button(t.IDEA_BUTTON.format(sub=i.subreddit), "caption", str(n))]
                for n, i in enumerate(ideas)]
        await ctx.reply("\n".join(lines), rows)

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        ctx.require_step(LISTED)
        stored = ctx.data.get("ideas") or []
        if press.action != "caption" or not press.args or not press.args[0].isdigit():
            raise ButtonExpired
        n = int(press.args[0])
        if n >= len(stored):
            await ctx.reply(t.IDEA_GONE)
            return
        idea = Idea(**{**stored[n], "marks": tuple(stored[n].get("marks") or ())})
        brief = CaptionBrief(idea.trend or f"a new post for r/{idea.subreddit}",
                             subreddit=idea.subreddit, tone=idea.tone, style=idea.style,
                             nsfw=ctx.nsfw_ok)
        try:
            batch = await ctx.core.captions.generate(
                ctx.session, ctx.user, brief, idempotency_key=ctx.charge_key("caption"))
        except QuotaExceeded as exc:
            await ctx.reply(await upgrade_prompt(ctx, exc))
            return
        titles = "\n".join(f"{k}. {o.title}" for k, o in enumerate(batch.options, 1))
        text, rows = nxt.offer(ctx, t.IDEA_CAPTIONS.format(
            tone=_tone(idea), style=_style(idea), sub=idea.subreddit, titles=titles),
            nxt.CAPTION, nxt.POST)
        await ctx.reply(text, rows)


def _tone(idea: Idea) -> str:
    return idea.tone.replace("_", "-")


def _style(idea: Idea) -> str:
    return {"pov": "POV", "one_liner": "one-liner"}.get(idea.style, idea.style)
