"""The /caption flow's working half: the setup card, one writing round with visible
progress, and using an option.

State (JSON, small): `brief` is the `CaptionBrief` as a dict, `file` the photo's
transport reference (bytes are downloaded again for each round, never stored),
`options` the ids of the latest batch and `noted` whether the creator was already told
that a backup provider is writing.
"""

from __future__ import annotations

from bot.conversation.context import FlowContext
from bot.conversation.events import FileRef
from bot.conversation.replies import Button, FileTooLarge, MessageRef
from bot.flows import caption_render as render
from bot.flows import next_steps as nxt
from core.captions import CaptionBrief, CaptionRefused, Platform, PromoMode
from core.errors import UserFacingError
from core.texts import captions as t
from core.texts import common

DESCRIBE, SETUP, OPTIONS = "describe", "setup", "options"
MAX_DESCRIPTION = 500


def nsfw_ok(ctx: FlowContext) -> bool:
    return ctx.nsfw_ok


def brief_of(ctx: FlowContext) -> CaptionBrief:
    """The brief in flow state, or a fresh one (adult creators start spicy)."""
    stored = ctx.data.get("brief")
    return CaptionBrief.from_dict(stored) if stored else _new_brief(ctx)


def _new_brief(ctx: FlowContext) -> CaptionBrief:
    return CaptionBrief("", platform=Platform.REDDIT, nsfw=nsfw_ok(ctx))


async def fresh_brief(ctx: FlowContext) -> CaptionBrief:
    """A new session's brief: adult creators start spicy, everyone in their own tone
    and style (the style is the one chosen in onboarding or on the web settings page)."""
    from core.onboarding.service import Onboarding

    brief = _new_brief(ctx)
    tone = (await ctx.core.captions.get_voice(ctx.session, ctx.user)).preferred_tone
    if tone and tone in render.allowed("tone", nsfw_ok(ctx)):
        brief = brief.with_changes(tone=tone)
    style = (await Onboarding(ctx.core.clock, ctx.core.events).profile(
        ctx.session, ctx.user)).preferred_style
    if style and style in render.allowed("style", nsfw_ok(ctx)):
        brief = brief.with_changes(style=style)
    return brief


async def has_promo_link(ctx: FlowContext) -> bool:
    return bool((await ctx.core.captions.get_voice(ctx.session, ctx.user)).promo_link)


def described(brief: CaptionBrief, text: str) -> CaptionBrief:
    return brief.with_changes(description=" ".join(text.split())[:MAX_DESCRIPTION])


async def take_description(ctx: FlowContext, brief: CaptionBrief, text: str) -> None:
    """Refuse an unsafe description at once (writing checks it again), else set up."""
    brief = described(brief, text)
    verdict = ctx.core.captions.check(brief.description, nsfw=brief.nsfw and nsfw_ok(ctx))
    if verdict.allowed:
        await show_setup(ctx, brief)
        return
    await ctx.core.captions.refused(ctx.session, ctx.user, verdict.category, "describe")
    await refuse(ctx, brief, verdict.category)


async def refuse(ctx: FlowContext, brief: CaptionBrief, category: str | None,
                 progress: Progress | None = None) -> None:
    ctx.goto(DESCRIBE, brief=brief.with_changes(description="").to_dict())
    text = f"{t.refused(category)}\n\n{t.TRY_ANOTHER}"
    await (progress.show(text) if progress else ctx.reply(text))


async def show_setup(ctx: FlowContext, brief: CaptionBrief) -> None:
    """Save `brief` and show what will be written, with a button per choice."""
    has_link = await has_promo_link(ctx)
    if brief.promo is PromoMode.EXPLICIT and not has_link:  # the link was removed in /voice
        brief = brief.with_changes(promo=PromoMode.SUBTLE)
    ctx.goto(SETUP, brief=brief.to_dict())
    usage = await ctx.core.captions.usage(ctx.session, ctx.user)
    left = t.LEFT_TODAY.format(left=usage.left, limit=usage.limit) if usage.limit else None
    text = render.setup_text(brief, bool(ctx.data.get("file")), left, has_link)
    await ctx.reply(text, render.setup_buttons(ctx, brief, nsfw_ok(ctx)))


class Progress:
    """One message that walks through the stages and ends as the result, so the chat
    shows a single growing answer rather than a pile of status lines."""

    def __init__(self, ctx: FlowContext) -> None:
        self._ctx = ctx
        self._ref: MessageRef | None = None
        self._text: str | None = None

    async def show(self, text: str, buttons: list[list[Button]] | None = None) -> None:
        if text == self._text and not buttons:
            return
        self._text = text
        if self._ref is None:
            self._ref = await self._ctx.reply(text, buttons)
        else:
            await self._ctx.edit(self._ref, text, buttons)

    async def stage(self, name: str) -> None:
        await self.show(t.STAGES.get(name, t.STAGES["writing"]))


async def write(ctx: FlowContext, brief: CaptionBrief) -> None:
    """One round: progress on one message, then the options (or why there are none)."""
    progress = Progress(ctx)
    await progress.stage("analyzing")
    file = ctx.data.get("file")
    try:
        image = await ctx.download(FileRef(**file)) if file else None
        batch = await ctx.core.captions.generate(
            ctx.session, ctx.user, brief, image=image, on_stage=progress.stage,
            release=ctx.checkpoint, allow_nsfw=ctx.nsfw_ok,
            idempotency_key=ctx.charge_key("caption"),
        )
    except FileTooLarge as exc:
        ctx.goto(DESCRIBE, file=None)
        await progress.show(common.file_too_large(exc.limit))
        return
    except CaptionRefused as exc:
        await refuse(ctx, brief, exc.category, progress)
        return
    except UserFacingError as exc:
        await progress.show(_problem(ctx, exc))
        return
    notes = []
    if batch.degraded and not ctx.data.get("noted"):
        notes.append(t.DEGRADED_NOTE)
    if batch.nsfw_downgraded:
        notes.append(t.DOWNGRADED_NOTE)
    ctx.goto(OPTIONS, brief=brief.to_dict(), options=[o.id for o in batch.options],
             noted=bool(ctx.data.get("noted") or batch.degraded))
    await progress.show(render.options_text(batch.options, brief, notes),
                        render.options_buttons(ctx, batch.options, brief))


def _problem(ctx: FlowContext, exc: UserFacingError) -> str:
    if exc.code == "caption_bad_image":
        ctx.goto(DESCRIBE, file=None)
        return t.BAD_IMAGE
    return render.problem_text(exc, ctx.core.settings.limits.captions_per_day)


async def use(ctx: FlowContext, option_id: int) -> None:
    """Mark the option used (it shapes future suggestions) and send it on its own, easy
    to copy, with a way to post it and what else to do next."""
    option = await ctx.core.captions.use_option(ctx.session, ctx.user, option_id)
    if option is None:
        await ctx.reply(t.OPTION_GONE)
        return
    rows = []
    if option.platform is Platform.REDDIT:
        rows.append([ctx.button(t.POST_THIS, "from_caption", str(option_id), flow="post")])
    # Next steps as buttons only: this message is the caption alone, to be copied.
    rows += nxt.buttons(ctx, nxt.PROTECT)
    await ctx.reply(t.USED.format(text=render.pasteable(option)), rows)
