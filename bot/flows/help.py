"""/help: the list of commands, built from the flows that are installed."""

from __future__ import annotations

from bot.conversation.context import FlowContext
from bot.conversation.events import Command
from bot.conversation.flow import Flow
from bot.texts import common as t


class HelpFlow(Flow):
    name = "help"
    commands = ("help",)
    help_line = t.HELP_HELP

    def __init__(self, start: Flow, features: list[Flow]) -> None:
        self._flows = [start, self, *features]

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        await self.prompt(ctx)

    async def prompt(self, ctx: FlowContext) -> None:
        lines = [f.help_line for f in self._flows if f.help_line]
        lines.append(t.HELP_CANCEL)
        await ctx.reply("\n".join([t.HELP_HEADER, *lines, "", t.HELP_FOOTER]))
