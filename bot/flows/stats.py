"""/stats: how the creator's posts did, as headline numbers and a small chart.

core.outcomes.stats gathers the numbers (the same JSON feeds the web dashboard); the
chart is drawn by core.outcomes.chart. The breakdown and chart are part of the plans
with analytics (core.billing `can_use`); others get the headline and the plan that
adds charts.
"""

from __future__ import annotations

import asyncio

from bot.conversation.context import FlowContext
from bot.conversation.events import Command
from bot.conversation.flow import Flow
from bot.conversation.replies import Attachment
from bot.flows import post_zone as zones
from core.billing.features import feature_upgrade
from core.outcomes.chart import render
from core.outcomes.stats import creator_stats
from core.texts import outcomes as t
from core.texts.billing import tier_name


class StatsFlow(Flow):
    name = "stats"
    commands = ("stats",)
    help_line = t.STATS_HELP

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        billing = ctx.core.billing
        charts = await billing.can_use(ctx.session, ctx.user, "analytics")
        tier = ctx.user.tier
        await ctx.checkpoint()
        stats = await creator_stats(ctx.core, ctx.user.id, zones.zone_name(ctx))
        if not stats.posts:
            await ctx.reply(t.STATS_NONE)
            return
        lines = [t.STATS_HEADLINE.format(posts=stats.posts, median=stats.median_score,
                                         best=stats.best_score, comments=stats.comments,
                                         removed=stats.removed)]
        if not charts:
            upgrade = feature_upgrade(billing.plans, tier, "analytics")
            if upgrade is not None:
                lines.append(t.STATS_UPGRADE.format(tier=tier_name(upgrade.tier)))
            await ctx.reply("\n".join(lines))
            return
        lines.append(t.STATS_TOP.format(subs=", ".join(
            t.STATS_SUB.format(key=b.key, posts=b.posts, median=b.median_score)
            for b in stats.by_subreddit[:3])))
        lines.append(t.STATS_WEB)
        # Drawing is CPU work (Pillow): off the event loop.
        title = t.STATS_CHART_TITLE.format(zone=stats.zone)
        png = await asyncio.to_thread(render, stats, title)
        await ctx.reply("\n".join(lines), attachment=Attachment(png, "stats.png", "image/png",
                                                                as_photo=True))
