"""/caption: a description or a photo -> (optional) choices -> options with buttons.

Few taps by design: sending a description or a photo shows a setup card with sensible
defaults (the tone the creator picked last), and one tap on Write captions gets three
options. Tone, style, platform, subreddit, persona, promo and (for adult creators) spice
are one button away. Each option can be used, posted (handed to /post as
`from_caption`), or rewritten shorter, longer, in another tone, or afresh. Rendering
lives in `caption_render`, writing in `caption_steps`.
"""

from __future__ import annotations

from dataclasses import asdict

from bot.conversation.context import ButtonExpired, FlowContext, page_of
from bot.conversation.events import Command, Press, Text, Upload
from bot.conversation.flow import Flow
from bot.flows import caption_render as render
from bot.flows import caption_steps as steps
from bot.flows import uploads
from bot.flows.caption_steps import DESCRIBE, OPTIONS, SETUP
from core.captions import CaptionBrief, Platform
from core.texts import captions as t

CHOICES = ("tone", "style", "platform", "persona", "sub")
SUGGESTIONS = 8


class CaptionFlow(Flow):
    name = "caption"
    commands = ("caption",)
    help_line = t.HELP_LINE
    upload_label = t.UPLOAD_LABEL
    menu_label = t.MENU_LABEL
    args_hint = t.ARGS_HINT

    # -- entry points ----------------------------------------------------------------
    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        # read before leaving the old state: a read after it would flush that state
        # change on its own, one UPDATE of the chat's row more than the step needs
        brief = await steps.fresh_brief(ctx)
        ctx.finish()
        if cmd.args.strip():  # "/caption red dress, rooftop" skips the question
            await steps.take_description(ctx, brief, cmd.args)
            return
        ctx.goto(DESCRIBE, brief=brief.to_dict())
        await ctx.reply(t.ASK_DESCRIPTION)

    async def on_upload_start(self, ctx: FlowContext, upload: Upload) -> None:
        brief = await steps.fresh_brief(ctx)  # before the state changes (`on_command`)
        ctx.finish()
        ctx.goto(DESCRIBE, brief=brief.to_dict())
        await self.on_upload(ctx, upload)

    async def prompt(self, ctx: FlowContext) -> None:
        if ctx.step in (SETUP, OPTIONS):
            await steps.show_setup(ctx, steps.brief_of(ctx))
        else:
            ctx.goto(DESCRIBE, brief=steps.brief_of(ctx).to_dict())
            await ctx.reply(t.ASK_DESCRIPTION)

    # -- events ----------------------------------------------------------------------
    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        brief = steps.brief_of(ctx)
        sub = render.typed_subreddit(msg.text)
        if sub is not None:
            brief = await self._with_sub(ctx, brief, sub)
            if not brief.description and not ctx.data.get("file"):
                ctx.goto(DESCRIBE, brief=brief.to_dict())
                await ctx.reply(t.ASK_DESCRIPTION)
                return
            await steps.show_setup(ctx, brief)
        else:
            await steps.take_description(ctx, brief, msg.text)

    async def on_upload(self, ctx: FlowContext, upload: Upload) -> None:
        file = upload.file
        if await uploads.refused(ctx, file, t.NOT_A_PHOTO):
            return
        brief = steps.brief_of(ctx)
        if ctx.data.get("file"):  # a new photo: the old one's words no longer apply
            brief = brief.with_changes(description="")
        ctx.goto(SETUP, file=asdict(file))
        if upload.caption.strip():
            await steps.take_description(ctx, brief, upload.caption)
        else:
            await steps.show_setup(ctx, brief)

    def adult_only(self, press: Press) -> bool:
        """The spicy toggle turns adult captions on."""
        return press.action == "nsfw"

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        action, args = press.action, press.args
        if action == "info" and len(args) == 2:
            await self._info(ctx, *args)
            return
        if action == "use" and args and args[0].isdigit():
            await steps.use(ctx, int(args[0]))
            return
        ctx.require_step(SETUP, OPTIONS)
        brief = steps.brief_of(ctx)
        if action in ("go", "regen"):
            await steps.write(ctx, brief)
        elif action == "len" and args and args[0] in ("shorter", "longer"):
            length = brief.length.shorter() if args[0] == "shorter" else brief.length.longer()
            await steps.write(ctx, brief.with_changes(length=length))
        elif action == "pick" and args and args[0] in CHOICES:
            await self._pick(ctx, args[0], brief, page_of(args, 1))
        elif action == "set" and len(args) == 2 and args[0] in CHOICES:
            await self._set(ctx, brief, *args)
        elif action == "nsfw" and steps.nsfw_ok(ctx):
            await steps.show_setup(ctx, brief.with_changes(nsfw=not brief.nsfw))
        elif action == "promo":
            has_link = await steps.has_promo_link(ctx)
            promo = render.next_promo(brief.promo, has_link)
            await steps.show_setup(ctx, brief.with_changes(promo=promo))
        else:
            raise ButtonExpired

    # -- choices ---------------------------------------------------------------------
    async def _pick(self, ctx: FlowContext, kind: str, brief: CaptionBrief, page: int = 0
                    ) -> None:
        subs: list[str] = []
        if kind == "sub":  # suggestions that match the brief: adult ones first when spicy
            spicy = brief.nsfw and steps.nsfw_ok(ctx)
            subs = ctx.core.reddit.subreddits.suggest(nsfw=spicy, limit=SUGGESTIONS)
        rows = render.picker(ctx, kind, brief, steps.nsfw_ok(ctx), subs, page)
        await ctx.reply(t.PICK[kind], rows)

    async def _set(self, ctx: FlowContext, brief: CaptionBrief, kind: str, value: str) -> None:
        """Apply one choice. During setup the card is shown again; once options exist,
        a new choice means new options straight away."""
        if kind == "sub":
            if not render.valid_sub(value):
                raise ButtonExpired
            brief = await self._with_sub(ctx, brief, None if value == render.NONE else value)
        elif kind == "persona" and value == render.NONE:
            brief = brief.with_changes(persona=None)
        elif value not in render.allowed(kind, steps.nsfw_ok(ctx)):
            raise ButtonExpired  # pressed before adult features were turned off
        elif kind == "platform":
            platform = Platform(value)
            sub = brief.subreddit if platform is Platform.REDDIT else None
            brief = brief.with_changes(platform=platform, subreddit=sub)
        else:
            brief = brief.with_changes(**{kind: value})
        if kind == "tone":  # the next /caption starts in the tone picked last
            await ctx.core.captions.update_voice(ctx.session, ctx.user, preferred_tone=value)
        if ctx.step == OPTIONS:
            ctx.update(brief=brief.to_dict())
            await steps.write(ctx, brief)
        else:
            await steps.show_setup(ctx, brief)

    async def _with_sub(self, ctx: FlowContext, brief: CaptionBrief, sub: str | None
                        ) -> CaptionBrief:
        """Known 18+ subreddits make adult creators' captions spicy, SFW ones tame."""
        brief = brief.with_changes(subreddit=sub, platform=Platform.REDDIT)
        if sub and steps.nsfw_ok(ctx):
            rules = await ctx.core.reddit.subreddits.get(ctx.session, sub)
            if rules.known:
                brief = brief.with_changes(nsfw=rules.over18)
        return brief

    async def _info(self, ctx: FlowContext, kind: str, key: str) -> None:
        shown = render.info(ctx, kind, key, steps.nsfw_ok(ctx), ctx.step in (SETUP, OPTIONS))
        if shown is None:
            raise ButtonExpired
        await ctx.reply(*shown)
