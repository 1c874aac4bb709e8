"""/web: sign in to the web companion from the chat, without a password.

The chat already knows who the creator is, so it hands out a single-use magic link
(`core.auth.magic`) instead of asking for credentials. Opening the link only shows
"Continue as …"; the tap on Continue uses it up, so a chat's link preview can't.
"""

from __future__ import annotations

from bot.conversation.context import FlowContext
from bot.conversation.events import Command
from bot.conversation.flow import Flow
from bot.conversation.replies import Button
from core.texts import web as t


class WebFlow(Flow):
    name = "web"
    commands = ("web",)
    help_line = t.HELP_LINE

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        links = ctx.core.auth.magic_links
        issued = await links.issue(ctx.session, ctx.user)
        minutes = round(links.ttl.total_seconds() / 60)
        await ctx.reply(t.LINK.format(minutes=minutes), [[Button(t.OPEN, url=issued.url)]])
