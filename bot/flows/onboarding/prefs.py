"""Editors for the creator's preferences, shared by the wizard's voice step and
/settings: tone and style (with real examples), niche, banned words, promo link and
time zone.

Both flows route their own buttons and typed text here first. The editors keep their
ask steps in the calling flow's state, so a restart mid-question resumes the question.
A handler returns None when the event is not one of these editors', `SHOWN` when it
answered itself (a picker, an example, a question), or a short note when something was
saved: the caller then redraws its own card under that note.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.context import ButtonExpired, FlowContext, page_of
from bot.conversation.events import Press
from bot.conversation.replies import Keyboard, grid
from bot.flows import caption_render
from bot.flows.post_zone import zone_from_text
from bot.flows.voice import parse_list
from core.captions import CaptionBrief
from core.captions.types import DEFAULT_STYLE, DEFAULT_TONE
from core.onboarding import Onboarding
from core.onboarding.service import MAX_NICHE
from core.texts import captions as ct
from core.texts import onboarding as t
from core.texts import voice as vt

SHOWN = ""
NICHE, BANNED, LINK, ZONE = "ask_niche", "ask_banned", "ask_link", "ask_zone"
ASKS = {"niche": NICHE, "banned": BANNED, "link": LINK, "zone": ZONE}
KINDS = ("tone", "style")
ZONES = ("America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London",
         "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "UTC")


@dataclass(frozen=True)
class Prefs:
    tone: str
    style: str
    niche: str | None
    banned: tuple[str, ...]
    link: str | None
    zone: str


def onboarding(ctx: FlowContext) -> Onboarding:
    return Onboarding(ctx.core.clock, ctx.core.events)


async def load(ctx: FlowContext) -> Prefs:
    voice = await ctx.core.captions.get_voice(ctx.session, ctx.user)
    profile = await onboarding(ctx).profile(ctx.session, ctx.user)
    return Prefs(voice.preferred_tone or DEFAULT_TONE, profile.preferred_style or DEFAULT_STYLE,
                 profile.niche, voice.banned_words, voice.promo_link, ctx.user.timezone or "UTC")


def card(p: Prefs) -> str:
    """One line per preference (the wizard puts its intro above, /settings its own)."""
    return t.VOICE.format(
        tone=ct.choice_name(p.tone), style=ct.choice_name(p.style), niche=p.niche or t.NOTHING,
        banned=", ".join(p.banned) or t.NOTHING, link=p.link or t.NOTHING, zone=p.zone)


def buttons(ctx: FlowContext, p: Prefs) -> Keyboard:
    """Three rows: what captions sound like, what they avoid, where they point."""
    return [
        [ctx.button(t.TONE_BUTTON.format(name=ct.choice_name(p.tone)), "pick", "tone"),
         ctx.button(t.STYLE_BUTTON.format(name=ct.choice_name(p.style)), "pick", "style")],
        [ctx.button(t.NICHE_BUTTON, "ask", "niche"), ctx.button(t.BANNED_BUTTON, "ask", "banned")],
        [ctx.button(t.LINK_BUTTON, "ask", "link"), ctx.button(t.ZONE_BUTTON, "ask", "zone")],
    ]


def question(ctx: FlowContext, step: str | None) -> tuple[str, Keyboard]:
    """What an ask step says (also used to re-ask after a restart)."""
    if step == ZONE:
        return t.PICK_ZONE, grid([ctx.button(z, "zone", z) for z in ZONES], 2)
    if step == NICHE:
        return t.ASK_NICHE, []
    return vt.ASK["banned" if step == BANNED else "link"], []


async def on_button(ctx: FlowContext, press: Press) -> str | None:
    action, args = press.action, press.args
    if action == "pick" and args[:1] and args[0] in KINDS:
        p = await load(ctx)
        brief = CaptionBrief("", tone=p.tone, style=p.style)
        rows = caption_render.picker(ctx, args[0], brief, ctx.nsfw_ok, page=page_of(args, 1))
        await ctx.reply(t.PICK[args[0]], rows)
        return SHOWN
    if action == "info" and len(args) == 2 and args[0] in KINDS:
        shown = caption_render.info(ctx, args[0], args[1], ctx.nsfw_ok, offer_use=True)
        if shown is None:
            raise ButtonExpired
        await ctx.reply(*shown)
        return SHOWN
    if action == "set" and len(args) == 2 and args[0] in KINDS:
        return await _set_choice(ctx, *args)
    if action == "ask" and args[:1] and args[0] in ASKS:
        step = ASKS[args[0]]
        ctx.goto(step)
        await ctx.reply(*question(ctx, step))
        return SHOWN
    if action == "zone" and args[:1]:
        ctx.require_step(ZONE)
        return await _set_zone(ctx, args[0])
    return None


async def _set_choice(ctx: FlowContext, kind: str, key: str) -> str:
    if key not in caption_render.allowed(kind, ctx.nsfw_ok):
        raise ButtonExpired  # an adult-only choice after adult features went off
    if kind == "tone":
        await ctx.core.captions.update_voice(ctx.session, ctx.user, preferred_tone=key)
        example = ctx.core.captions.example(tone=key)
    else:
        await onboarding(ctx).update_profile(ctx.session, ctx.user, preferred_style=key)
        example = ctx.core.captions.example(style=key)
    return t.PICKED.format(name=ct.choice_name(key), example=example)


async def on_text(ctx: FlowContext, text: str) -> str | None:
    """A typed answer to an ask step; None when the flow is not asking."""
    step, text = ctx.step, text.strip()
    if step == NICHE:
        if len(text) > MAX_NICHE:
            await ctx.reply(t.NICHE_TOO_LONG.format(limit=MAX_NICHE))
            return SHOWN
        niche = None if text.lower() in vt.CLEAR_WORDS else " ".join(text.split())
        await onboarding(ctx).update_profile(ctx.session, ctx.user, niche=niche)
        return t.SAVED
    if step == BANNED:
        entries = parse_list(text)
        if isinstance(entries, str):
            await ctx.reply(entries)
            return SHOWN
        await ctx.core.captions.update_voice(ctx.session, ctx.user, banned_words=tuple(entries))
        return t.SAVED
    if step == LINK:
        return await _set_link(ctx, text)
    if step == ZONE:
        return await _set_zone(ctx, text)
    return None


async def _set_link(ctx: FlowContext, text: str) -> str:
    if text.lower() in vt.CLEAR_WORDS:
        await ctx.core.captions.update_voice(ctx.session, ctx.user, promo_link=None)
        return t.SAVED
    link = ctx.core.captions.clean_link(text if "://" in text else f"https://{text}")
    if link is None:
        await ctx.reply(vt.BAD_LINK)
        return SHOWN
    await ctx.core.captions.update_voice(ctx.session, ctx.user, promo_link=link)
    return t.SAVED


async def _set_zone(ctx: FlowContext, typed: str) -> str:
    """A zone as scheduling reads it ("europe/paris", "utc", "New York")."""
    name = zone_from_text(typed)
    if name is None:
        await ctx.reply(t.BAD_ZONE, question(ctx, ZONE)[1])
        return SHOWN
    await ctx.core.users.set_timezone(ctx.session, ctx.user, name)
    return t.SAVED
