"""/voice: see and change what every caption remembers about the creator: default tone,
emoji budget, banned words, phrases to avoid and their own promo link.

The card is shown with the flow idle; a button that needs typing (words, phrases, the
link) enters an ask step, so only that next message is routed here.
"""

from __future__ import annotations

from bot.conversation.context import ButtonExpired, FlowContext, page_of
from bot.conversation.events import Command, Press, Text
from bot.conversation.flow import Flow
from bot.conversation.replies import Button
from bot.flows import caption_render
from core.captions import CaptionBrief, Voice
from core.captions.types import DEFAULT_TONE, WordListRefused, parse_word_list
from core.texts import captions as ct
from core.texts import voice as t

BANNED, AVOID, LINK = "banned", "avoid", "link"
ASKS = (BANNED, AVOID, LINK)
EMOJI_CHOICES = ("0", "1", "2", "3")


def parse_list(text: str) -> list[str] | str:
    """Comma- or line-separated entries, de-duplicated; a message when it won't do."""
    if text.strip().lower() in t.CLEAR_WORDS:
        return []
    try:
        return parse_word_list(text)
    except WordListRefused as refused:
        words = t.TOO_LONG if refused.code == "too_long" else t.TOO_MANY
        return words.format(limit=refused.limit)


class VoiceFlow(Flow):
    name = "voice"
    commands = ("voice",)
    help_line = t.HELP_LINE

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        await self._card(ctx)

    async def prompt(self, ctx: FlowContext) -> None:
        if ctx.step in ASKS:
            await ctx.reply(t.ASK[ctx.step])
        else:
            ctx.finish()
            await self._card(ctx)

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        action, args = press.action, press.args
        nsfw_ok = ctx.nsfw_ok
        if action == "emoji" and args[:1] and args[0] in EMOJI_CHOICES:
            await self._save(ctx, emoji_budget=int(args[0]))
        elif action == "ask" and args[:1] and args[0] in ASKS:
            ctx.goto(args[0])
            await ctx.reply(t.ASK[args[0]])
        elif action == "pick" and args[:1] == ("tone",):
            voice = await ctx.core.captions.get_voice(ctx.session, ctx.user)
            current = CaptionBrief("", tone=voice.preferred_tone or DEFAULT_TONE)
            rows = caption_render.picker(ctx, "tone", current, nsfw_ok, page=page_of(args, 1))
            await ctx.reply(t.PICK_TONE, rows)
        elif action == "set" and len(args) == 2 and args[0] == "tone":
            if args[1] not in caption_render.allowed("tone", nsfw_ok):
                raise ButtonExpired
            await self._save(ctx, preferred_tone=args[1])
        elif action == "info" and len(args) == 2 and args[0] == "tone":
            shown = caption_render.info(ctx, "tone", args[1], nsfw_ok, offer_use=True)
            if shown is None:
                raise ButtonExpired
            await ctx.reply(*shown)
        else:
            raise ButtonExpired

    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        step = ctx.step
        if step == LINK:
            await self._take_link(ctx, msg.text)
            return
        if step not in (BANNED, AVOID):
            ctx.finish()
            await self._card(ctx)
            return
        entries = parse_list(msg.text)
        if isinstance(entries, str):
            await ctx.reply(entries)  # still asking: the next message tries again
            return
        field = "banned_words" if step == BANNED else "avoid_phrases"
        await self._save(ctx, **{field: tuple(entries)})

    async def _take_link(self, ctx: FlowContext, text: str) -> None:
        text = text.strip()
        if text.lower() in t.CLEAR_WORDS:
            await self._save(ctx, promo_link=None)
            return
        if "://" not in text:  # "linktr.ee/me" means the https address
            text = f"https://{text}"
        link = ctx.core.captions.clean_link(text)
        if link is None:
            await ctx.reply(t.BAD_LINK)
            return
        await self._save(ctx, promo_link=link)

    async def _save(self, ctx: FlowContext, **changes: object) -> None:
        voice = await ctx.core.captions.update_voice(ctx.session, ctx.user, **changes)
        ctx.finish()
        await ctx.reply(f"{t.SAVED}\n\n{self._text(voice)}", self._buttons(ctx, voice))

    async def _card(self, ctx: FlowContext) -> None:
        voice = await ctx.core.captions.get_voice(ctx.session, ctx.user)
        await ctx.reply(self._text(voice), self._buttons(ctx, voice))

    def _text(self, voice: Voice) -> str:
        budget = voice.emoji_budget
        return t.CARD.format(
            tone=ct.choice_name(voice.preferred_tone or DEFAULT_TONE),
            emoji=t.EMOJI_UP_TO.format(n=budget) if budget else t.EMOJI_NONE,
            banned=", ".join(voice.banned_words) or t.NOTHING,
            avoid=", ".join(voice.avoid_phrases) or t.NOTHING,
            link=voice.promo_link or t.NOTHING,
        )

    def _buttons(self, ctx: FlowContext, voice: Voice) -> list[list[Button]]:
        def emoji(n: str) -> Button:
            label = t.EMOJI_BUTTON.format(n=n)
            chosen = int(n) == voice.emoji_budget
            return ctx.button(t.CHOSEN.format(label=label) if chosen else label, "emoji", n)

        return [
            [emoji(n) for n in EMOJI_CHOICES],
            [ctx.button(t.BANNED_BUTTON, "ask", BANNED), ctx.button(t.AVOID_BUTTON, "ask", AVOID)],
            [ctx.button(t.LINK_BUTTON, "ask", LINK), ctx.button(t.TONE_BUTTON, "pick", "tone")],
        ]
