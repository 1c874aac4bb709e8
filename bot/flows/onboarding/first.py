"""Step 4: a guided first caption (and, with a photo, a first protected copy) that
ends with a real result, written by the same engine as /caption.

The brief starts from what the creator chose in step 3 (tone, style) so the first
options already sound like them. Only the transport's file reference is kept in state;
the photo is downloaded for each use and never stored.
"""

from __future__ import annotations

from dataclasses import asdict

from bot.conversation.context import FlowContext
from bot.conversation.events import FileRef, Upload
from bot.conversation.replies import Attachment, FileTooLarge, Keyboard
from bot.flows import caption_render, uploads
from bot.flows.caption_steps import MAX_DESCRIPTION, Progress
from bot.flows.onboarding import prefs
from bot.flows.protect import protected_name, result_text
from core.captions import CaptionBrief, CaptionRefused, Platform
from core.errors import UserFacingError
from core.imageshield import ImageRejected
from core.texts import captions as ct
from core.texts import common
from core.texts import onboarding as t
from core.texts import shield as st

FIRST, OPTIONS = "first", "options"
PROTECT_LEVEL = "standard"


async def ask(ctx: FlowContext, heading: str, note: str = "") -> None:
    """Ask for a description or a photo, with a one-tap example for the undecided."""
    ctx.goto(FIRST)
    niche = (await prefs.onboarding(ctx).profile(ctx.session, ctx.user)).niche
    text = t.FIRST.format(niche=t.FIRST_NICHE.format(niche=niche) if niche else "")
    rows = [[ctx.button(t.EXAMPLE_BUTTON.format(example=t.EXAMPLE), "example")],
            [ctx.button(t.SKIP, "skip", "4")]]
    await ctx.reply("\n\n".join(p for p in (note, heading, text) if p), rows)


async def brief_for(ctx: FlowContext, description: str) -> CaptionBrief:
    p = await prefs.load(ctx)
    tone = p.tone if p.tone in caption_render.allowed("tone", ctx.nsfw_ok) else "playful"
    return CaptionBrief(" ".join(description.split())[:MAX_DESCRIPTION],
                        platform=Platform.REDDIT, tone=tone, style=p.style, nsfw=ctx.nsfw_ok)


async def take_upload(ctx: FlowContext, upload: Upload) -> bool:
    """A photo at step 4: captions for it. False when it is not a photo."""
    file = upload.file
    if not uploads.is_image(file):
        return False
    ctx.update(file=asdict(file))
    await write(ctx, upload.caption)
    return True


async def write(ctx: FlowContext, description: str) -> None:
    """One writing round on one progress message, ending in options (or why not)."""
    brief = await brief_for(ctx, description)
    file = ctx.data.get("file")
    verdict = ctx.core.captions.check(brief.description, nsfw=brief.nsfw)
    if not verdict.allowed:
        await ctx.reply(f"{ct.refused(verdict.category)}\n\n{t.FIRST_RETRY}")
        return
    progress = Progress(ctx)
    await progress.stage("analyzing")
    try:
        image = await ctx.download(FileRef(**file)) if file else None
        batch = await ctx.core.captions.generate(
            ctx.session, ctx.user, brief, image=image, on_stage=progress.stage,
            release=ctx.checkpoint, allow_nsfw=ctx.nsfw_ok,
            idempotency_key=ctx.charge_key("caption"))
    except FileTooLarge as exc:
        ctx.update(file=None)
        await progress.show(common.file_too_large(exc.limit))
        return
    except CaptionRefused as exc:
        await progress.show(f"{ct.refused(exc.category)}\n\n{t.FIRST_RETRY}")
        return
    except UserFacingError as exc:
        await progress.show(caption_render.problem_text(
            exc, ctx.core.settings.limits.captions_per_day))
        return
    ids = [o.id for o in batch.options if o.id is not None]  # stored options have ids
    ctx.goto(OPTIONS, brief=brief.to_dict(), options=ids)
    text = caption_render.options_text(batch.options, brief, [t.PICK_ONE])
    await progress.show(text, option_buttons(ctx, ids))


def option_buttons(ctx: FlowContext, ids: list[int]) -> Keyboard:
    rows: Keyboard = [[ctx.button(ct.USE.format(n=n), "use", str(i))
                       for n, i in enumerate(ids, 1)]]
    extra = [ctx.button(ct.REGENERATE, "again")]
    if ctx.data.get("file"):
        extra.append(ctx.button(t.PROTECT_TOO, "protect"))
    rows.append(extra)
    rows.append([ctx.button(t.FINISH, "skip", "4")])
    return rows


async def again(ctx: FlowContext) -> None:
    ctx.require_step(OPTIONS)
    await write(ctx, str(ctx.data.get("brief", {}).get("description", "")))


async def use(ctx: FlowContext, option_id: int) -> str | None:
    """The chosen caption as the creator would paste it; None if it is gone."""
    option = await ctx.core.captions.use_option(ctx.session, ctx.user, option_id)
    return None if option is None else t.USED.format(text=caption_render.pasteable(option))


async def protect(ctx: FlowContext) -> None:
    """The step-4 photo, protected at the recommended level and sent as a file."""
    ctx.require_step(OPTIONS)
    stored = ctx.data.get("file")
    if not stored:
        return
    file = FileRef(**stored)
    progress = await ctx.reply(st.STAGE_WORKING.format(level=st.LEVEL_NAMES[PROTECT_LEVEL]))
    try:
        data = await ctx.download(file)
        result = await ctx.core.imageshield.protect_async(data, PROTECT_LEVEL)
    except FileTooLarge as exc:
        await ctx.edit(progress, st.rejected("too_large", {"limit": exc.limit}))
        return
    except ImageRejected as exc:
        await ctx.edit(progress, st.rejected(exc.code, exc.params))
        return
    await ctx.edit(progress, st.STAGE_DONE)
    ids = [int(i) for i in ctx.data.get("options", [])]
    await ctx.reply(result_text(result, st.LEVEL_NAMES[PROTECT_LEVEL]),
                    option_buttons(ctx, ids),
                    Attachment(result.data, protected_name(file, result.ext), result.mime))
