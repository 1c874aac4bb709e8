"""What /caption shows: the setup summary, the choice pickers and the options message.

Pure rendering from a `CaptionBrief` and the user's NSFW permission, so the flow module
only routes events. Every choice a button can carry is listed by `allowed`, which is
also how a stale or foreign choice is recognised and refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.conversation.context import FlowContext
from bot.conversation.replies import Button, grid
from core.captions import (
    CaptionBrief,
    CaptionOption,
    CaptionRefused,
    Length,
    Platform,
    PromoMode,
)
from core.captions.catalog import PERSONAS, STYLES, TONES, keys
from core.errors import UserFacingError
from core.reddit.types import valid_subreddit_name
from core.texts import captions as t
from core.texts import common

NONE = "-"  # "no subreddit" / "no persona" in a button (never a valid name)
_TYPED_SUB = re.compile(r"^/?r/([A-Za-z0-9_]{2,21})/?$", re.IGNORECASE)
Rows = list[list[Button]]


def allowed(kind: str, nsfw_ok: bool) -> tuple[str, ...]:
    """Choices a user may pick; adult-only ones only when `nsfw_ok`."""
    if kind == "tone":
        return keys(TONES, nsfw=nsfw_ok)
    if kind == "style":
        return keys(STYLES, nsfw=nsfw_ok)
    if kind == "persona":
        return keys(PERSONAS, nsfw=nsfw_ok)
    if kind == "platform":  # OnlyFans/Fansly bios are adult-platform promo
        return tuple(p.value for p in Platform if nsfw_ok or not p.is_promo_bio)
    return ()


def valid_sub(name: str) -> bool:
    return name == NONE or valid_subreddit_name(name)


def typed_subreddit(text: str) -> str | None:
    """`r/selfie` typed during setup means the subreddit, not a new description."""
    match = _TYPED_SUB.match(text.strip())
    return match.group(1).lower() if match else None


def summary(brief: CaptionBrief) -> str:
    parts = [t.choice_name(brief.platform.value)]
    if brief.subreddit and brief.platform is Platform.REDDIT:
        parts.append(f"r/{brief.subreddit}")
    parts += [f"{brief.tone} tone", f"{t.choice_name(brief.style).lower()} style"]
    if brief.persona:
        parts.append(t.choice_name(brief.persona).lower())
    if brief.promo is not PromoMode.NONE:
        parts.append(t.PROMO_SUMMARY[brief.promo.value])
    if brief.nsfw:
        parts.append(t.SPICY_SUMMARY)
    return " · ".join(parts)


def next_promo(mode: PromoMode, has_link: bool) -> PromoMode:
    """The Promo button cycles off -> subtle -> with my link (only with a saved link)."""
    if mode is PromoMode.NONE:
        return PromoMode.SUBTLE
    if mode is PromoMode.SUBTLE and has_link:
        return PromoMode.EXPLICIT
    return PromoMode.NONE


def setup_text(brief: CaptionBrief, has_photo: bool, left: str | None,
               has_link: bool = False) -> str:
    description = brief.description.strip()
    if has_photo:
        what = t.WHAT_PHOTO_TEXT.format(description=description) if description else t.WHAT_PHOTO
    else:
        what = t.WHAT_TEXT.format(description=description)
    text = t.SETUP.format(what=what, summary=summary(brief))
    extras = [t.PHOTO_TIP] if has_photo and not description else []
    if brief.promo is PromoMode.SUBTLE and not has_link:
        extras.append(t.PROMO_LINK_TIP)
    extras += [left] if left else []
    return "\n".join([text, *extras])


def setup_buttons(ctx: FlowContext, brief: CaptionBrief, nsfw_ok: bool) -> Rows:
    persona = t.choice_name(brief.persona) if brief.persona else t.NO_PERSONA_NAME
    rows = [
        [ctx.button(t.WRITE, "go")],
        [ctx.button(t.TONE_BUTTON.format(name=t.choice_name(brief.tone)), "pick", "tone"),
         ctx.button(t.STYLE_BUTTON.format(name=t.choice_name(brief.style)), "pick", "style")],
    ]
    place = [ctx.button(t.PLATFORM_BUTTON.format(name=t.choice_name(brief.platform.value)),
                        "pick", "platform")]
    if brief.platform is Platform.REDDIT:
        label = t.SUB_BUTTON.format(name=brief.subreddit) if brief.subreddit else t.ANY_SUB_BUTTON
        place.append(ctx.button(label, "pick", "sub"))
    rows.append(place)
    rows.append([ctx.button(t.PERSONA_BUTTON.format(name=persona), "pick", "persona"),
                 ctx.button(t.PROMO_BUTTON[brief.promo.value], "promo")])
    if nsfw_ok:
        rows.append([ctx.button(t.SPICY_ON if brief.nsfw else t.SPICY_OFF, "nsfw")])
    return rows


def picker(ctx: FlowContext, kind: str, brief: CaptionBrief, nsfw_ok: bool,
           subs: Sequence[str] = (), page: int = 0) -> Rows:
    """Buttons for one choice, a page at a time; tones and styles get an ℹ️ button each.

    Prev/Next come back as `pick <kind> <page>` to whichever flow drew the picker.
    """
    current = {"tone": brief.tone, "style": brief.style, "persona": brief.persona,
               "platform": brief.platform.value, "sub": brief.subreddit}.get(kind)
    names = list(subs) if kind == "sub" else list(allowed(kind, nsfw_ok))

    def pick(key: str) -> Button:
        name = f"r/{key}" if kind == "sub" else t.choice_name(key)
        chosen = key.lower() == (current or "").lower()
        return ctx.button(t.CHOSEN.format(name=name) if chosen else name, "set", kind, key)

    if kind in ("tone", "style"):
        rows = [[pick(key), ctx.button(t.INFO_LABEL.format(name=t.choice_name(key)),
                                       "info", kind, key)] for key in names]
        return ctx.paged(rows, page, "pick", kind)
    extra = {"sub": [[ctx.button(t.NO_SUB, "set", "sub", NONE)]],
             "persona": [[ctx.button(t.NO_PERSONA, "set", "persona", NONE)]]}.get(kind, [])
    rows = grid([pick(key) for key in names], 2)
    return [*ctx.paged(rows, page, "pick", kind, keep=len(extra)), *extra]


def info(ctx: FlowContext, kind: str, key: str, nsfw_ok: bool, offer_use: bool
         ) -> tuple[str, Rows] | None:
    """What a tone or style sounds like, with a real example; None for a choice the
    user may not pick (a stale or foreign button)."""
    explanations = {"tone": t.TONES, "style": t.STYLES}.get(kind, {})
    if key not in explanations or key not in allowed(kind, nsfw_ok):
        return None
    captions = ctx.core.captions
    example = captions.example(tone=key) if kind == "tone" else captions.example(style=key)
    name = t.choice_name(key)
    rows = [[ctx.button(t.USE_CHOICE.format(name=name), "set", kind, key)]] if offer_use else []
    return t.INFO.format(name=name, explanation=explanations[key], example=example), rows


def pasteable(option: CaptionOption) -> str:
    """The caption as the creator would paste it (X keeps hashtags on the same line)."""
    tags = " ".join(f"#{tag}" for tag in option.hashtags)
    if option.platform is Platform.X:
        return f"{option.title} {tags}".strip()
    return "\n\n".join(part for part in (option.title, option.body, tags) if part)


def options_text(options: Sequence[CaptionOption], brief: CaptionBrief, notes: list[str]) -> str:
    listed = "\n\n".join(f"{n}. {pasteable(o)}" for n, o in enumerate(options, 1))
    return "\n\n".join([t.OPTIONS_HEADER.format(summary=summary(brief)), listed, *notes])


def options_buttons(ctx: FlowContext, options: Sequence[CaptionOption],
                    brief: CaptionBrief) -> Rows:
    """Per option: use it, and (for Reddit) post it; then what to change for all."""
    rows: Rows = []
    for n, option in enumerate(options, 1):
        row = [ctx.button(t.USE.format(n=n), "use", str(option.id))]
        if brief.platform is Platform.REDDIT:
            row.append(ctx.button(t.POST.format(n=n), "from_caption", str(option.id), flow="post"))
        rows.append(row)
    rows.append([ctx.button(t.REGENERATE, "regen"), ctx.button(t.CHANGE_TONE, "pick", "tone")])
    length = []
    if brief.length is not Length.SHORT:
        length.append(ctx.button(t.SHORTER, "len", "shorter"))
    if brief.length is not Length.LONG:
        length.append(ctx.button(t.LONGER, "len", "longer"))
    rows.append(length)
    return rows


def problem_text(exc: UserFacingError, plans: dict[str, int | None]) -> str:
    """Why the caption engine gave no options, in its own words (used by /caption and
    by /post's title suggestions)."""
    if isinstance(exc, CaptionRefused):
        return t.refused(exc.category)
    if exc.code == "caption_quota":
        return t.quota_reached(int(exc.params.get("limit") or 0),
                               str(exc.params.get("tier", "free")), plans)
    return common.render_error(exc)
