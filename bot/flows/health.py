"""/health: is the creator's Reddit account shadowbanned, or are posts being filtered?

The look is made by core.outcomes.health as a logged-out reader, which takes a moment,
so the flow says so first and releases the update's transaction before asking Reddit.
"""

from __future__ import annotations

from bot.conversation.context import FlowContext
from bot.conversation.events import Command
from bot.conversation.flow import Flow
from core.outcomes.health import HealthService
from core.texts import outcomes as t


class HealthFlow(Flow):
    name = "health"
    commands = ("health",)
    help_line = t.HEALTH_HELP

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        await ctx.reply(t.HEALTH_CHECKING)
        await ctx.checkpoint()  # nothing held while Reddit is asked
        reports = await HealthService(ctx.core).check_user(ctx.user.id)
        if not reports:
            await ctx.reply(t.HEALTH_NO_ACCOUNT)
            return
        await ctx.reply("\n\n".join(t.health_line(r.username, r.verdict, r.hidden_in,
                                                  r.checked_posts) for r in reports))
