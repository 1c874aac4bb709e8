"""/start: onboarding in two taps (content type, 18+ confirmation), then the menu."""

from __future__ import annotations

from bot.conversation.context import FlowContext
from bot.conversation.events import Command, Press
from bot.conversation.flow import Flow
from bot.conversation.replies import Button
from bot.texts import common as t

CONTENT = "content"
AGE = "age"


class StartFlow(Flow):
    name = "start"
    commands = ("start",)
    help_line = t.HELP_START

    def __init__(self, menu: list[Flow]) -> None:
        self._menu = menu

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        name = ctx.event.sender.display_name or "there"
        if ctx.user.onboarded_at is not None:
            ctx.finish()
            await ctx.reply(t.GREETING_BACK.format(name=name), self.menu_buttons(ctx))
            return
        ctx.goto(CONTENT)
        await ctx.reply(t.GREETING_NEW.format(name=name), self._content_buttons(ctx))

    async def prompt(self, ctx: FlowContext) -> None:
        if ctx.step == AGE:
            await ctx.reply(t.AGE_QUESTION, self._age_buttons(ctx))
        else:
            ctx.goto(CONTENT)
            await ctx.reply(t.GREETING_NEW.format(name="there"), self._content_buttons(ctx))

    def adult_only(self, press: Press) -> bool:
        """Choosing adult content and confirming the age are adult-only actions."""
        return (press.action == CONTENT and press.args[:1] == ("nsfw",)) or (
            press.action == AGE and press.args[:1] == ("yes",))

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        if press.action == CONTENT:
            ctx.require_step(CONTENT)
            if press.args[:1] == ("nsfw",):
                ctx.goto(AGE)
                await ctx.reply(t.AGE_QUESTION, self._age_buttons(ctx))
                return
            await ctx.core.users.set_nsfw(ctx.session, ctx.user, enabled=False)
            await self._done(ctx, t.SFW_CHOSEN)
        elif press.action == AGE:
            ctx.require_step(AGE)
            if press.args[:1] == ("yes",):
                await ctx.core.users.confirm_adult(ctx.session, ctx.user)
                await ctx.core.users.set_nsfw(ctx.session, ctx.user, enabled=True)
                await self._done(ctx, t.NSFW_ON)
            else:
                await ctx.core.users.set_nsfw(ctx.session, ctx.user, enabled=False)
                await self._done(ctx, t.AGE_DECLINED)
        else:
            await super().on_button(ctx, press)

    async def _done(self, ctx: FlowContext, first_line: str) -> None:
        await ctx.core.users.mark_onboarded(ctx.session, ctx.user)
        ctx.finish()
        commands = "\n".join(f.help_line for f in self._menu if f.help_line)
        await ctx.reply(
            f"{first_line}\n\n{t.ONBOARDED.format(commands=commands)}", self.menu_buttons(ctx)
        )

    def menu_buttons(self, ctx: FlowContext) -> list[list[Button]]:
        """One button per feature flow, two per row; each starts that flow."""
        buttons = [
            ctx.button(f.menu_label, "start", flow=f.name) for f in self._menu if f.menu_label
        ]
        return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]

    def _content_buttons(self, ctx: FlowContext) -> list[list[Button]]:
        return [
            [
                ctx.button(t.CONTENT_SFW, CONTENT, "sfw"),
                ctx.button(t.CONTENT_NSFW, CONTENT, "nsfw"),
            ]
        ]

    def _age_buttons(self, ctx: FlowContext) -> list[list[Button]]:
        return [[ctx.button(t.AGE_YES, AGE, "yes"), ctx.button(t.AGE_NO, AGE, "no")]]
