"""/demo: captions and photo protection on a sample photo, for anyone, with no account.

Nothing about the visitor is stored: the flow is `anonymous`, so the dispatcher creates
no user, identity or conversation row, and the number of tries travels in the signed
buttons instead of the database. Captions come from the built-in offline writer only,
so anonymous tries cost nothing and cannot run up an AI bill. Each try is counted as an
anonymous `demo.tried` event (a signup-funnel source); after `TRIES` the visitor is
asked to sign up, and that button, the only one that creates an account, records
`signup.source` = demo for the new creator and hands over to /start.
"""

from __future__ import annotations

import dataclasses
import functools
import io

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.events import Command, Press
from bot.conversation.flow import Flow
from bot.conversation.replies import Attachment, Keyboard
from bot.flows.protect import result_text
from core.captions import CaptionBrief, Platform
from core.captions.offline import write_captions
from core.texts import demo as t
from core.texts import shield as st

TRIES = 3
WRITE, PROTECT, SIGN_UP = "w", "p", "signup"
TONES = ("playful", "wholesome", "confident")
LEVEL = "standard"


@functools.lru_cache(maxsize=1)
def sample_photo() -> bytes:
    """A 640x480 JPEG drawn on first use: a sky gradient, a sun and a skyline, enough
    texture for the protection report to mean something. Pillow is imported here only."""
    from PIL import Image, ImageDraw

    width, height = 640, 480
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        k = y / height
        draw.line([(0, y), (width, y)], fill=(int(250 - 90 * k), int(170 - 60 * k),
                                              int(90 + 110 * k)))
    draw.ellipse([420, 80, 540, 200], fill=(255, 226, 140))
    for i, x in enumerate(range(0, width, 40)):
        top = 300 - (i * 37 % 140)
        draw.rectangle([x, top, x + 34, height], fill=(40 + i * 5 % 60, 40, 70))
        for wy in range(top + 10, height - 10, 24):
            draw.rectangle([x + 8, wy, x + 14, wy + 8], fill=(255, 210, 120))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


class DemoFlow(Flow):
    name = "demo"
    commands = ("demo",)
    help_line = t.HELP_LINE

    def __init__(self, start: Flow) -> None:
        self._start = start

    def anonymous(self, press: Press | None) -> bool:
        """Everything but the sign-up button runs without an account."""
        return press is None or press.action != SIGN_UP

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        photo = Attachment(sample_photo(), "sample.jpg", "image/jpeg", as_photo=True)
        await ctx.reply(t.INTRO.format(tries=TRIES), _choices(ctx, 1), photo)

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        if press.action == SIGN_UP:
            await self._sign_up(ctx)
            return
        if press.action not in (WRITE, PROTECT) or not (press.args[:1] and
                                                        press.args[0].isdigit()):
            raise ButtonExpired
        n = int(press.args[0])
        if n > TRIES:
            await ctx.reply(t.DONE, [[ctx.button(t.SIGN_UP, SIGN_UP)]])
            return
        await ctx.core.users.demo_tried(ctx.session, press.action, n,
                                        ctx.event.sender.transport)
        if press.action == WRITE:
            await self._captions(ctx, n)
        else:
            await self._protect(ctx, n)

    async def _captions(self, ctx: FlowContext, n: int) -> None:
        tone = TONES[(n - 1) % len(TONES)]
        brief = CaptionBrief(t.SAMPLE_DESCRIPTION, platform=Platform.REDDIT, tone=tone)
        options = write_captions(brief, 3, seed=n)
        titles = "\n".join(f"{i}. {o.title}" for i, o in enumerate(options, 1))
        text = t.CAPTIONS.format(tone=tone, titles=titles)
        await ctx.reply(f"{text}\n\n{_left(n)}", _choices(ctx, n + 1))

    async def _protect(self, ctx: FlowContext, n: int) -> None:
        result = await ctx.core.imageshield.protect_async(sample_photo(), LEVEL, seed=n)
        text = t.PROTECTED.format(result=result_text(result, st.LEVEL_NAMES[LEVEL]))
        await ctx.reply(f"{text}\n\n{_left(n)}", _choices(ctx, n + 1),
                        Attachment(result.data, f"sample-protected.{result.ext}", result.mime))

    async def _sign_up(self, ctx: FlowContext) -> None:
        """The one demo button that makes an account: count where it came from, then
        start getting set up exactly as /start would."""
        await ctx.core.users.signup_source(ctx.session, ctx.user, "demo",
                                           new=ctx.user_created, via=ctx.event.sender.transport)
        start = dataclasses.replace(ctx, flow_name=self._start.name)
        cmd = Command(ctx.event.sender, ctx.event.chat_id, name=self._start.commands[0],
                      adult_place=ctx.event.adult_place)
        await self._start.on_command(start, cmd)


def _left(n: int) -> str:
    return t.LEFT.format(left=TRIES - n, tries=TRIES) if n < TRIES else t.DONE


def _choices(ctx: FlowContext, n: int) -> Keyboard:
    """The next try's buttons (the try number rides in the signed payload)."""
    if n > TRIES:
        return [[ctx.button(t.SIGN_UP, SIGN_UP)]]
    return [[ctx.button(t.WRITE, WRITE, str(n)), ctx.button(t.PROTECT, PROTECT, str(n))]]
