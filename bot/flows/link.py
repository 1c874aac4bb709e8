"""/link: one ThottoPilot account for a Telegram and a Discord identity.

`/link` alone shows a one-time code; `/link CODE` (or the code typed after "I have a
code") in the other app shows whom it would join and links only on an explicit yes,
since entering someone else's code would hand them your account (`core.auth.linking`).
The code waits in flow state between the question and the yes; it is single-use and
expires in minutes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.conversation.context import FlowContext
from bot.conversation.events import Command, Press, Text
from bot.conversation.flow import Flow
from core.auth.errors import AuthError
from core.texts import link as t

if TYPE_CHECKING:
    from core.auth.linking import IdentityLinker

ENTER, CONFIRM = "enter", "confirm"


class LinkFlow(Flow):
    name = "link"
    commands = ("link",)
    help_line = t.HELP_LINE
    args_hint = t.ARGS_HINT

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        if cmd.args.strip():
            await self._check(ctx, cmd.args)
            return
        linker = _linker(ctx)
        code = await linker.issue_code(ctx.session, ctx.user)
        minutes = round(linker.ttl.total_seconds() / 60)
        await ctx.reply(t.YOUR_CODE.format(code=code.display, minutes=minutes),
                        [[ctx.button(t.HAVE_CODE, ENTER)]])

    async def prompt(self, ctx: FlowContext) -> None:
        if ctx.step == CONFIRM:
            await self._check(ctx, str(ctx.data.get("code", "")))
        else:
            ctx.goto(ENTER)
            await ctx.reply(t.ASK_CODE)

    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        await self._check(ctx, msg.text)

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        if press.action == ENTER:
            ctx.goto(ENTER)
            await ctx.reply(t.ASK_CODE)
            return
        ctx.require_step(CONFIRM)
        code = str(ctx.data.get("code", ""))
        ctx.finish()  # before linking: a retired account's conversations are deleted
        if press.args[:1] != ("yes",):
            await ctx.reply(t.NOT_LINKED)
            return
        try:
            await _linker(ctx).link_identity(ctx.session, code, ctx.user)
        except AuthError as exc:
            await ctx.reply(t.REFUSED.get(exc.reason, t.REFUSED_OTHER))
            return
        await ctx.reply(t.LINKED)

    async def _check(self, ctx: FlowContext, typed: str) -> None:
        try:
            preview = await _linker(ctx).preview(ctx.session, typed, ctx.user)
        except AuthError as exc:
            ctx.finish()
            await ctx.reply(t.REFUSED.get(exc.reason, t.REFUSED_OTHER))
            return
        ctx.goto(CONFIRM, code=typed.strip())
        await ctx.reply(t.CONFIRM.format(who=preview.other_label or t.SOMEONE),
                        [[ctx.button(t.YES, "answer", "yes"), ctx.button(t.NO, "answer", "no")]])


def _linker(ctx: FlowContext) -> IdentityLinker:
    """Imported on first use: sign-in code stays off the bot's start path."""
    from core.auth.service import Auth

    return Auth.from_core(ctx.core).linker
