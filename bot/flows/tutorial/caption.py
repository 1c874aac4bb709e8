"""Step 1: the photo, then titles for it written by the caption engine (/caption's
own: safety gate, voice, quota), or the creator's own title.

The photo is downloaded once here for its content hash (the rule check's duplicate
check, the posting engine's media key) and for the captions; state keeps only its
transport reference.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.events import Upload
from bot.conversation.replies import FileTooLarge, Keyboard
from bot.flows import caption_render, uploads
from bot.flows import next_steps as nxt
from bot.flows.caption_steps import Progress, described, fresh_brief
from bot.flows.tutorial import protect
from bot.flows.tutorial.state import CAPTION, MAX_TITLE, PHOTO, TITLE, heading, photo, skip_button
from core.captions import CaptionRefused
from core.errors import UserFacingError
from core.texts import captions as ct
from core.texts import common
from core.texts import tutorial as t


async def ask_photo(ctx: FlowContext, intro: str = "") -> None:
    ctx.goto(PHOTO)
    await ctx.reply("\n\n".join(p for p in (intro, t.NEED_PHOTO) if p))


async def take_photo(ctx: FlowContext, upload: Upload) -> None:
    """A photo at step 1: remember it, then write titles for it."""
    file = upload.file
    if await uploads.refused(ctx, file, t.NOT_A_PHOTO):
        return
    try:
        data = await ctx.download(file)
    except FileTooLarge as exc:
        await ctx.reply(common.file_too_large(exc.limit))
        return
    ctx.goto(CAPTION, file=asdict(file), sha=hashlib.sha256(data).hexdigest(), options=[])
    await write(ctx, data, upload.caption)


async def again(ctx: FlowContext) -> None:
    """🔄 New options for the same photo."""
    ctx.require_step(CAPTION)
    file = photo(ctx)
    if file is None:
        raise ButtonExpired
    await write(ctx, await ctx.download(file), str(ctx.data.get("described") or ""))


async def write(ctx: FlowContext, image: bytes, description: str) -> None:
    """One writing round on one progress message: options, or why not (and the way on)."""
    brief = described(await fresh_brief(ctx), description)
    ctx.update(described=brief.description)
    progress = Progress(ctx)
    await progress.stage("analyzing")
    try:
        batch = await ctx.core.captions.generate(
            ctx.session, ctx.user, brief, image=image, on_stage=progress.stage,
            release=ctx.checkpoint, allow_nsfw=ctx.nsfw_ok,
            idempotency_key=ctx.charge_key("caption"))
    except CaptionRefused as exc:
        await progress.show(f"{ct.refused(exc.category)}\n\n{t.ASK_TITLE}", _skip(ctx))
        return
    except UserFacingError as exc:
        text = caption_render.problem_text(exc, ctx.core.settings.limits.captions_per_day)
        rows = _skip(ctx)
        if exc.code.endswith("_quota"):
            rows.insert(0, [nxt.button(ctx, nxt.UPGRADE)])
        await progress.show(f"{text}\n\n{t.ASK_TITLE}", rows)
        return
    ids = [o.id for o in batch.options if o.id is not None]
    ctx.update(options=ids)
    text = caption_render.options_text(batch.options, brief, [t.CAPTION_PICK])
    await progress.show(f"{heading(1)}\n\n{text}", option_buttons(ctx, ids))


def option_buttons(ctx: FlowContext, ids: list[int]) -> Keyboard:
    return [[ctx.button(ct.USE.format(n=n), "use", str(i)) for n, i in enumerate(ids, 1)],
            [ctx.button(ct.REGENERATE, "again")], *_skip(ctx)]


def _skip(ctx: FlowContext) -> Keyboard:
    return [[skip_button(ctx)]]


async def reshow(ctx: FlowContext) -> None:
    """Step 1 again after a restart: the options still stored, else the title question."""
    ids = [int(i) for i in ctx.data.get("options", [])]
    options = [o for i in ids
               if (o := await ctx.core.captions.get_option(ctx.session, i, ctx.user.id))]
    if ctx.step == CAPTION and options:
        listed = "\n\n".join(f"{n}. {caption_render.pasteable(o)}"
                             for n, o in enumerate(options, 1))
        await ctx.reply(f"{heading(1)}\n\n{listed}\n\n{t.CAPTION_PICK}",
                        option_buttons(ctx, [o.id for o in options if o.id is not None]))
        return
    await ctx.reply(f"{heading(1)}\n\n{t.ASK_TITLE}",
                    _skip(ctx) if ctx.step == CAPTION else None)


async def use(ctx: FlowContext, arg: str) -> None:
    """✅ Use n: that option's title, if it is one of the latest batch."""
    ctx.require_step(CAPTION)
    if not arg.isdigit() or int(arg) not in ctx.data.get("options", []):
        raise ButtonExpired
    option = await ctx.core.captions.use_option(ctx.session, ctx.user, int(arg))
    if option is None:
        raise ButtonExpired
    await title_chosen(ctx, option.title)


async def skip(ctx: FlowContext) -> None:
    """Skip the writing: the creator types the title themselves."""
    ctx.goto(TITLE)
    await ctx.reply(t.ASK_TITLE)


async def typed(ctx: FlowContext, text: str) -> None:
    title = " ".join(text.split())
    if not title:
        await ctx.reply(t.ASK_TITLE)
        return
    if len(title) > MAX_TITLE:
        await ctx.reply(t.TITLE_TOO_LONG.format(n=len(title)))
        return
    await title_chosen(ctx, title)


async def title_chosen(ctx: FlowContext, title: str) -> None:
    ctx.update(title=title, options=[])
    await protect.ask(ctx, t.TITLE_SET.format(title=title))
