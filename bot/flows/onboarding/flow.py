"""/start and /setup: four steps, each showing where the creator is ("Step 2 of 4") and
each skippable. (1) content type, adult only after an explicit 18+ confirmation, with
the terms accepted on the way; (2) connect Reddit through the web companion; (3) voice:
tone and style with examples, niche, banned words, promo link, time zone; (4) a first
caption (and protected photo) for real.

Everything lives in the conversation state, so a restart resumes the step. `data`
keeps the skipped steps and the number of actions, which the completion event records.
"""

from __future__ import annotations

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.events import Command, Press, Text, Upload
from bot.conversation.flow import Flow
from bot.conversation.replies import Button, Keyboard
from bot.flows import next_steps as nxt
from bot.flows.onboarding import first, prefs
from bot.flows.referral import welcome_referred
from bot.flows.start import command_lines, menu_buttons
from core.onboarding import ADULT, TERMS, TERMS_VERSION, legal_links
from core.texts import common
from core.texts import onboarding as t

CONTENT, AGE, ACCOUNTS, VOICE = "content", "age", "accounts", "voice"
STEP_NUMBER = {CONTENT: 1, AGE: 1, ACCOUNTS: 2, VOICE: 3, first.FIRST: 4, first.OPTIONS: 4,
               **{step: 3 for step in prefs.ASKS.values()}}
TOTAL = 4


def heading(n: int) -> str:
    return t.STEP.format(n=n, total=TOTAL, title=t.TITLES[n])


class OnboardingFlow(Flow):
    name = "onboarding"
    commands = ("start", "setup")
    help_line = t.HELP_START

    def __init__(self, menu: list[Flow]) -> None:
        self._menu = menu

    # -- entry points ------------------------------------------------------------------
    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        if cmd.name == "start":
            await welcome_referred(ctx, cmd)  # /start ref_<code>: someone's invite link
        if cmd.name == "setup":
            await self._begin(ctx)
        elif ctx.step is not None:
            await self.prompt(ctx)  # /start mid-wizard: carry on where they were
        elif ctx.user.onboarded_at is not None:
            ctx.finish()
            name = ctx.event.sender.display_name or "there"
            await ctx.reply(t.GREETING_BACK.format(name=name), menu_buttons(ctx, self._menu))
        elif not await self._resume(ctx):
            await self._begin(ctx)

    async def _resume(self, ctx: FlowContext) -> bool:
        """/start after another command ended the wizard's state: back to the step it
        had reached (the funnel remembers), or False to begin anew."""
        stopped = await prefs.onboarding(ctx).where_stopped(ctx.session, ctx.user)
        if stopped is None:
            return False
        n, skipped = stopped
        ctx.finish()
        ctx.goto(ACCOUNTS, skipped=skipped, actions=1)
        await ctx.reply(common.WELCOME_BACK)
        if n == 2:
            await self._accounts(ctx)
        elif n == 3:
            await self._voice(ctx)
        else:
            await first.ask(ctx, heading(4))
        return True

    async def _begin(self, ctx: FlowContext) -> None:
        ctx.finish()
        ctx.goto(CONTENT, skipped=[], actions=1)
        await self._welcome(ctx)

    async def prompt(self, ctx: FlowContext) -> None:
        step = ctx.step
        if step == AGE:
            await self._age(ctx)
        elif step == ACCOUNTS:
            await self._accounts(ctx)
        elif step == VOICE:
            await self._voice(ctx)
        elif step in prefs.ASKS.values():
            await ctx.reply(*prefs.question(ctx, step))
        elif step in (first.FIRST, first.OPTIONS):
            await first.ask(ctx, heading(4))
        else:
            ctx.goto(CONTENT)
            await self._welcome(ctx)

    def adult_only(self, press: Press) -> bool:
        """Choosing adult content and confirming the age are adult-only actions."""
        return (press.action == CONTENT and press.args[:1] == ("nsfw",)) or (
            press.action == AGE and press.args[:1] == ("yes",))

    # -- events ------------------------------------------------------------------------
    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        if ctx.step is None:
            raise ButtonExpired  # the wizard finished (or was cancelled) since
        self._count(ctx)
        action, args = press.action, press.args
        if action == CONTENT:
            ctx.require_step(CONTENT)
            await self._content(ctx, args[:1] == ("nsfw",))
        elif action == AGE:
            ctx.require_step(AGE)
            await self._answer_age(ctx, args[:1] == ("yes",))
        elif action in ("skip", "next"):
            if args[:1] != (str(self._number(ctx)),):
                raise ButtonExpired  # a second tap, or an earlier step's message
            await self._forward(ctx, skipped=action == "skip")
        elif action == "connected":
            ctx.require_step(ACCOUNTS)
            await self._check_connected(ctx)
        elif action in ("example", "use", "again", "protect"):
            await self._first(ctx, action, args)
        else:
            ctx.require_step(VOICE, *prefs.ASKS.values())
            note = await prefs.on_button(ctx, press)
            if note is None:
                raise ButtonExpired
            if note:
                await self._voice(ctx, note, changed=True)

    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        self._count(ctx)
        if ctx.step in (first.FIRST, first.OPTIONS):
            await first.write(ctx, msg.text)
            return
        note = await prefs.on_text(ctx, msg.text)
        if note is None:  # a step answered with buttons
            await ctx.reply(common.NOT_UNDERSTOOD)
        elif note:
            await self._voice(ctx, note, changed=True)

    async def on_upload(self, ctx: FlowContext, upload: Upload) -> None:
        self._count(ctx)
        if ctx.step in (first.FIRST, first.OPTIONS):
            if not await first.take_upload(ctx, upload):
                await ctx.reply(common.FILE_NOT_IMAGE)
            return
        await ctx.reply(common.UPLOAD_NOT_EXPECTED)

    # -- step 1 ------------------------------------------------------------------------
    async def _welcome(self, ctx: FlowContext) -> None:
        terms, privacy = self._links(ctx)
        name = ctx.event.sender.display_name or "there"
        text = t.WELCOME.format(name=name, terms=terms, privacy=privacy)
        rows: Keyboard = [
            [ctx.button(t.CONTENT_SFW, CONTENT, "sfw"),
             ctx.button(t.CONTENT_NSFW, CONTENT, "nsfw")],
            [ctx.button(t.SKIP, "skip", "1")],
        ]
        await ctx.reply(f"{heading(1)}\n\n{text}", rows)

    async def _age(self, ctx: FlowContext) -> None:
        terms, _ = self._links(ctx)
        text = t.AGE_QUESTION.format(version=TERMS_VERSION, terms=terms)
        rows = [[ctx.button(t.AGE_YES, AGE, "yes"), ctx.button(t.AGE_NO, AGE, "no")]]
        await ctx.reply(text, rows)

    async def _content(self, ctx: FlowContext, nsfw: bool) -> None:
        await self._accept(ctx, TERMS)
        if nsfw:
            ctx.goto(AGE)
            await self._age(ctx)
            return
        await ctx.core.users.set_nsfw(ctx.session, ctx.user, enabled=False)
        await self._step_done(ctx, 1)
        await self._accounts(ctx, t.SFW_CHOSEN)

    async def _answer_age(self, ctx: FlowContext, yes: bool) -> None:
        await self._step_done(ctx, 1)
        if yes:
            await ctx.core.users.confirm_adult(ctx.session, ctx.user)
            await self._accept(ctx, ADULT)
            await ctx.core.users.set_nsfw(ctx.session, ctx.user, enabled=True)
            await self._accounts(ctx, t.NSFW_ON)
        else:  # "No" also takes back an earlier confirmation (/settings asks again)
            await ctx.core.users.revoke_adult(ctx.session, ctx.user)
            await self._accounts(ctx, t.AGE_DECLINED)

    async def _accept(self, ctx: FlowContext, kind: str) -> None:
        await prefs.onboarding(ctx).accept(ctx.session, ctx.user, kind,
                                           via=ctx.event.sender.transport)

    def _links(self, ctx: FlowContext) -> tuple[str, str]:
        web = ctx.core.settings.web
        return legal_links(web.public_url, web.host, web.port)

    # -- step 2 ------------------------------------------------------------------------
    async def _accounts(self, ctx: FlowContext, note: str = "") -> None:
        """Reddit is the only posting platform built so far, so it is the only button."""
        ctx.goto(ACCOUNTS)
        reddit = ctx.core.reddit
        if not reddit.clients.configured:
            rows: Keyboard = [[ctx.button(t.SKIP, "skip", "2")]]
            body = t.ACCOUNTS_OFF
        else:
            rows = [[Button(t.CONNECT, url=reddit.oauth.connect_link(ctx.user.id))],
                    [ctx.button(t.CONNECTED_CHECK, "connected"),
                     ctx.button(t.SKIP, "skip", "2")]]
            body = t.ACCOUNTS
        await ctx.reply("\n\n".join(p for p in (note, heading(2), body) if p), rows)

    async def _check_connected(self, ctx: FlowContext) -> None:
        found = await ctx.core.reddit.accounts.list(ctx.session, ctx.user.id)
        if not found:
            await self._accounts(ctx, t.NOT_CONNECTED_YET)
            return
        names = ", ".join(f"u/{a.username}" for a in found)
        await self._step_done(ctx, 2)
        await self._voice(ctx, t.CONNECTED.format(names=names))

    # -- step 3 ------------------------------------------------------------------------
    async def _voice(self, ctx: FlowContext, note: str = "", changed: bool = False) -> None:
        changed = changed or bool(ctx.data.get("voice_changed"))
        ctx.goto(VOICE, voice_changed=changed)
        p = await prefs.load(ctx)
        forward = ctx.button(t.NEXT, "next", "3") if changed else ctx.button(t.SKIP, "skip", "3")
        rows = [*prefs.buttons(ctx, p), [forward]]
        parts = (note, heading(3), t.VOICE_INTRO, prefs.card(p))
        await ctx.reply("\n\n".join(x for x in parts if x), rows)

    # -- step 4 and the end --------------------------------------------------------------
    async def _first(self, ctx: FlowContext, action: str, args: tuple[str, ...]) -> None:
        if action == "example":
            ctx.require_step(first.FIRST)
            await first.write(ctx, t.EXAMPLE)
        elif action == "again":
            await first.again(ctx)
        elif action == "protect":
            await first.protect(ctx)
        else:
            ctx.require_step(first.OPTIONS)
            if not (args[:1] and args[0].isdigit()):
                raise ButtonExpired
            used = await first.use(ctx, int(args[0]))
            if used is None:
                raise ButtonExpired
            await self._step_done(ctx, 4)
            await self._complete(ctx, used)

    async def _forward(self, ctx: FlowContext, skipped: bool) -> None:
        """Skip (or finish) the current step and show the next one."""
        n = self._number(ctx)
        if skipped:
            ctx.update(skipped=sorted({*ctx.data.get("skipped", []), str(n)}))
        if n:
            await self._step_done(ctx, n, skipped=skipped)
        if n == 1:
            await self._accept(ctx, TERMS)
            await self._accounts(ctx, "" if ctx.user.may_see_nsfw else t.SKIPPED_CONTENT)
        elif n == 2:
            await self._voice(ctx)
        elif n == 3:
            await first.ask(ctx, heading(4))
        elif n == 4:
            await self._complete(ctx, "")
        else:
            raise ButtonExpired

    async def _step_done(self, ctx: FlowContext, n: int, skipped: bool = False) -> None:
        """The funnel: step `n` answered (or skipped) and the next one reached."""
        await prefs.onboarding(ctx).step_done(ctx.session, ctx.user, n, skipped=skipped,
                                              total=TOTAL)

    async def _complete(self, ctx: FlowContext, first_line: str) -> None:
        data = ctx.data
        await ctx.core.users.mark_onboarded(ctx.session, ctx.user)
        await prefs.onboarding(ctx).completed(ctx.session, ctx.user,
                                              skipped=list(data.get("skipped", [])),
                                              actions=int(data.get("actions", 0)))
        ctx.finish()
        done = t.DONE.format(commands=command_lines(self._menu))
        text = "\n\n".join(p for p in (first_line, done, t.TUTORIAL_OFFER) if p)
        await ctx.reply(*nxt.offer(ctx, text, nxt.TUTORIAL, lead=menu_buttons(ctx, self._menu)))

    def _number(self, ctx: FlowContext) -> int:
        """The step the wizard is on (1-4; 0 outside it): Skip and Next carry theirs."""
        return STEP_NUMBER.get(ctx.step or "", 0)

    def _count(self, ctx: FlowContext) -> None:
        if ctx.step is not None:
            ctx.update(actions=int(ctx.data.get("actions", 0)) + 1)
