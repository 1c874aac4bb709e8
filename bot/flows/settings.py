"""/settings: one card over the creator's settings, the same ones the web Settings page
changes (adult content with its 18+ confirmation, tone and style, niche, banned words,
promo link, time zone, photo protection before posting, Reddit accounts).

The card is shown with the flow idle; a setting that needs typing enters an ask step
(see `onboarding.prefs`), so only that next message is routed here. Accounts hand over
to /connect, which owns connecting and choosing the default.
"""

from __future__ import annotations

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.events import Command, Press, Text
from bot.conversation.flow import Flow
from bot.conversation.replies import Keyboard
from bot.flows import settings_notices as notices
from bot.flows.onboarding import prefs
from core.imageshield import LEVEL_FACTS
from core.onboarding import ADULT, TERMS_VERSION, legal_links
from core.texts import common
from core.texts import onboarding as ot
from core.texts import settings as t
from core.texts import shield as st

AGE = "age"
LEVELS = tuple(st.LEVEL_NAMES)
OFF = "off"


class SettingsFlow(Flow):
    name = "settings"
    commands = ("settings",)
    help_line = t.HELP_LINE

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        await self._card(ctx)

    async def prompt(self, ctx: FlowContext) -> None:
        if ctx.step == AGE:
            await self._ask_age(ctx)
        elif ctx.step in prefs.ASKS.values():
            await ctx.reply(*prefs.question(ctx, ctx.step))
        else:
            ctx.finish()
            await self._card(ctx)

    def adult_only(self, press: Press) -> bool:
        """Turning adult content on, or confirming the age for it."""
        return (press.action == "adult" and press.args[:1] == ("on",)) or (
            press.action == AGE and press.args[:1] == ("yes",))

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        action, args = press.action, press.args
        if action == "adult" and args[:1] in (("on",), ("off",)):
            await self._adult(ctx, args[0] == "on")
        elif action == AGE and args[:1] in (("yes",), ("no",)):
            ctx.require_step(AGE)
            await self._answer_age(ctx, args[0] == "yes")
        elif action == "protect" and not args:
            await ctx.reply(t.PICK_LEVEL, self._level_buttons(ctx))
        elif action == "level" and args[:1] and args[0] in (*LEVELS, OFF):
            level = None if args[0] == OFF else args[0]
            await ctx.core.reddit.accounts.set_protect_level(ctx.session, ctx.user.id, level)
            await self._card(ctx, ot.SAVED)
        elif action == "about" and args[:1] and args[0] in LEVELS:
            await self._explain(ctx, args[0])
        elif action == "notices" and not args:
            await notices.show(ctx)
        elif action == notices.ACTION:
            if not await notices.toggle(ctx, args):
                raise ButtonExpired
        elif action == "card" and not args:
            await self._card(ctx)
        else:
            note = await prefs.on_button(ctx, press)
            if note is None:
                raise ButtonExpired
            if note:
                ctx.finish()
                await self._card(ctx, note)

    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        note = await prefs.on_text(ctx, msg.text)
        if note is None:
            await ctx.reply(common.NOT_UNDERSTOOD)
        elif note:
            ctx.finish()
            await self._card(ctx, note)

    # -- adult content ----------------------------------------------------------------------
    async def _adult(self, ctx: FlowContext, on: bool) -> None:
        if on and ctx.user.adult_confirmed_at is None:
            ctx.goto(AGE)
            await self._ask_age(ctx)
            return
        await ctx.core.users.set_nsfw(ctx.session, ctx.user, enabled=on)
        await self._card(ctx, t.ADULT_NOW_ON if on else t.ADULT_NOW_OFF)

    async def _ask_age(self, ctx: FlowContext) -> None:
        web = ctx.core.settings.web
        terms, _ = legal_links(web.public_url, web.host, web.port)
        rows = [[ctx.button(ot.AGE_YES, AGE, "yes"), ctx.button(ot.AGE_NO, AGE, "no")]]
        await ctx.reply(ot.AGE_QUESTION.format(version=TERMS_VERSION, terms=terms), rows)

    async def _answer_age(self, ctx: FlowContext, yes: bool) -> None:
        ctx.finish()
        if not yes:  # also takes back an earlier confirmation: "on" asks again
            await ctx.core.users.revoke_adult(ctx.session, ctx.user)
            await self._card(ctx, t.ADULT_NOW_OFF)
            return
        await ctx.core.users.confirm_adult(ctx.session, ctx.user)
        await prefs.onboarding(ctx).accept(ctx.session, ctx.user, ADULT,
                                           via=ctx.event.sender.transport)
        await ctx.core.users.set_nsfw(ctx.session, ctx.user, enabled=True)
        await self._card(ctx, t.ADULT_NOW_ON)

    # -- protection level ------------------------------------------------------------------
    def _level_buttons(self, ctx: FlowContext) -> Keyboard:
        rows = [[ctx.button(name, "level", level),
                 ctx.button(st.INFO_LABEL.format(name=name), "about", level)]
                for level, name in st.LEVEL_NAMES.items()]
        return [*rows, [ctx.button(t.NO_PROTECTION, "level", OFF)]]

    async def _explain(self, ctx: FlowContext, level: str) -> None:
        name = st.LEVEL_NAMES[level]
        text = st.LEVEL_DETAIL.format(summary=st.LEVEL_INFO[level], **LEVEL_FACTS[level])
        await ctx.reply(text, [[ctx.button(st.USE_LEVEL.format(name=name), "level", level)]])

    # -- the card ----------------------------------------------------------------------------
    async def _card(self, ctx: FlowContext, note: str = "") -> None:
        p = await prefs.load(ctx)
        accounts = await ctx.core.reddit.accounts.list(ctx.session, ctx.user.id)
        level = (await ctx.core.reddit.accounts.prefs(ctx.session, ctx.user.id)).protect_level
        protect = st.LEVEL_NAMES.get(level or "", t.PROTECT_OFF)
        text = t.CARD.format(
            adult=t.ON if ctx.user.may_see_nsfw else t.OFF, protect=protect,
            accounts=", ".join(f"u/{a.username}" for a in accounts) or t.NO_ACCOUNTS,
            voice=prefs.card(p))
        adult = (ctx.button(t.ADULT_ON, "adult", "off") if ctx.user.may_see_nsfw
                 else ctx.button(t.ADULT_OFF, "adult", "on"))
        rows = [*prefs.buttons(ctx, p),
                [adult, ctx.button(t.PROTECT_BUTTON.format(level=protect), "protect")],
                [ctx.button(t.ACCOUNTS_BUTTON, "start", flow="connect"),
                 ctx.button(t.NOTICES_BUTTON, "notices")]]
        await ctx.reply(f"{note}\n\n{text}" if note else text, rows)
