"""/tutorial: a guided first post on the creator's own photo, one tap at a time.

Four numbered steps, each saying why it matters and each skippable: (1) a caption from
the caption engine, (2) a protected copy from the image shield, (3) the rule check of
one subreddit, (4) the time, ending with the post queued in the posting engine or a
clear reason why not (no Reddit account: the connect link; a rule: which one and its
fix; a limit: the upgrade prompt). Each step is a module of this package calling the
same core services as /caption, /protect and /post; this one only routes.
"""

from __future__ import annotations

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.events import Command, Press, Text, Upload
from bot.conversation.flow import Flow
from bot.conversation.replies import Button
from bot.flows.tutorial import caption, check, protect, schedule
from bot.flows.tutorial.state import (
    CAPTION,
    FIX,
    NAME,
    PHOTO,
    PROTECT,
    QUEUING,
    SUB,
    TITLE,
    WHEN,
    number,
    skip,
)
from core.texts import reddit as rt
from core.texts import tutorial as t


class TutorialFlow(Flow):
    name = NAME
    commands = ("tutorial",)
    help_line = t.HELP_LINE

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        await self._intro(ctx)

    async def _intro(self, ctx: FlowContext) -> None:
        reddit = ctx.core.reddit
        ctx.goto(PHOTO, skipped=[])
        if not reddit.clients.configured or await reddit.accounts.list(ctx.session,
                                                                       ctx.user.id):
            await ctx.reply(t.INTRO)
            return
        link = Button(rt.CONNECT_BUTTON, url=reddit.oauth.connect_link(ctx.user.id))
        await ctx.reply(f"{t.INTRO}\n\n{t.INTRO_NO_ACCOUNT}", [[link]])

    def busy(self, ctx: FlowContext) -> str | None:
        return t.STILL_QUEUING if schedule.queuing(ctx) else None

    async def prompt(self, ctx: FlowContext) -> None:
        """The current step again (after a restart, or a message it can't use)."""
        step = ctx.step
        if step in (CAPTION, TITLE):
            await caption.reshow(ctx)
        elif step == PROTECT:
            await protect.ask(ctx)
        elif step in (SUB, FIX):
            await check.ask(ctx)
        elif step in (WHEN, QUEUING):
            await schedule.ask(ctx)
        else:
            await caption.ask_photo(ctx, t.STILL_THERE.format(n=1))

    async def on_upload(self, ctx: FlowContext, upload: Upload) -> None:
        if ctx.step in (PHOTO, CAPTION, TITLE):
            await caption.take_photo(ctx, upload)
        else:
            await ctx.reply(t.STILL_THERE.format(n=number(ctx)))
            await self.prompt(ctx)

    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        step, text = ctx.step, msg.text
        if step in (CAPTION, TITLE):
            await caption.typed(ctx, text)
        elif step == SUB:
            await check.chosen(ctx, text)
        elif step == FIX and ctx.data.get("fix") == "new_title":
            await check.new_title(ctx, text)
        elif step in (WHEN, QUEUING):
            await schedule.typed(ctx, text)
        else:
            await self.prompt(ctx)

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        if ctx.step is None:
            raise ButtonExpired  # the tutorial ended (or was cancelled) since
        action, arg = press.action, (press.args[0] if press.args else "")
        if action == "skip":
            if press.args[:1] != (ctx.step,):
                raise ButtonExpired  # a second tap, or an earlier step's Skip
            await self._skip(ctx)
        elif action == "use":
            await caption.use(ctx, arg)
        elif action == "again":
            await caption.again(ctx)
        elif action == "level":
            await protect.pick(ctx, arg)
        elif action == "sub":
            ctx.require_step(SUB)
            await check.chosen(ctx, arg)
        elif action == "pick":
            await check.pick(ctx, arg)
        elif action == "more":
            await check.more(ctx, press.args)
        elif action == "other":
            await check.other(ctx)
        elif action == "best":
            await schedule.best(ctx)
        else:
            raise ButtonExpired

    async def _skip(self, ctx: FlowContext) -> None:
        """Skip the current step: write my own title, post unprotected, or stop before
        the post is made (a subreddit and a time can't be guessed)."""
        step = ctx.step
        if step not in (CAPTION, PROTECT, SUB, FIX, WHEN):
            raise ButtonExpired
        skip(ctx)
        if step == CAPTION:
            await caption.skip(ctx)
        elif step == PROTECT:
            await protect.skip(ctx)
        else:
            await schedule.end(ctx, t.NOT_QUEUED_SKIPPED, queued=False)
