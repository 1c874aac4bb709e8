"""The creator's time zone: asked once, when they first schedule, then kept.

Times like "tomorrow 9pm" mean nothing without a zone, and guessing one silently
would post at the wrong hour; so the first Schedule (or Best time, or a reschedule
from /queue) asks, with buttons for common zones and room to type any IANA name. The
platform's language code (Telegram's `language_code`) says little about where someone
is ("en" is half the planet), so it only orders the suggestions, it never decides.

"Asked" is remembered as the event `user.timezone_set` (a zone other than the default
UTC also counts), so no new column is needed for it.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.replies import Keyboard, fit_label, grid
from core.texts import schedule as ts

COMMON = ("America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London",
          "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "UTC")
# A weak hint: zones people speaking this language often live in (ordering only).
BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en-gb": ("Europe/London",), "en-au": ("Australia/Sydney",),
    "de": ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich"),
    "fr": ("Europe/Paris", "America/Montreal"), "es": ("Europe/Madrid", "America/Mexico_City"),
    "pt": ("America/Sao_Paulo", "Europe/Lisbon"), "it": ("Europe/Rome",),
    "nl": ("Europe/Amsterdam",), "pl": ("Europe/Warsaw",), "ru": ("Europe/Moscow",),
    "uk": ("Europe/Kyiv",), "tr": ("Europe/Istanbul",), "ja": ("Asia/Tokyo",),
    "ko": ("Asia/Seoul",), "hi": ("Asia/Kolkata",), "id": ("Asia/Jakarta",),
    "fil": ("Asia/Manila",), "th": ("Asia/Bangkok",), "sv": ("Europe/Stockholm",),
}
SHOWN = 8  # zone buttons: four rows of two, plus the caller's row


def suggestions(language: str | None) -> list[str]:
    """Common zones, those the language hints at first."""
    lang = (language or "").lower().replace("_", "-")
    hinted = (BY_LANGUAGE.get(lang, ()) + BY_LANGUAGE.get(lang.split("-")[0], ()))[:2]
    ordered = [z for z in dict.fromkeys((*hinted, *COMMON)) if z != "UTC"]
    return [*ordered[:SHOWN - 1], "UTC"]  # UTC always offered, last


async def zone_known(ctx: FlowContext) -> bool:
    return await ctx.core.users.zone_chosen(ctx.session, ctx.user)


def _city(name: str) -> str:
    return name.rsplit("/", 1)[-1].replace("_", " ")


def local_now(ctx: FlowContext, name: str) -> str:
    return ctx.core.clock.now().astimezone(ZoneInfo(name)).strftime("%H:%M")


def zone_buttons(ctx: FlowContext, action: str, *args: str) -> Keyboard:
    """One button per suggested zone (with its local time, which helps pick); the
    button carries the zone's position, re-derived on press (names can be long)."""
    names = suggestions(ctx.user.language)
    return grid([ctx.button(fit_label(ts.ZONE_LABEL.format(city=_city(n), now=local_now(ctx, n))),
                            action, *args, str(i)) for i, n in enumerate(names)], 2)


def zone_from_press(ctx: FlowContext, arg: str) -> str:
    names = suggestions(ctx.user.language)
    if not arg.isdigit() or int(arg) >= len(names):
        raise ButtonExpired
    return names[int(arg)]


@cache
def _all_zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def zone_from_text(text: str) -> str | None:
    """An IANA name as typed ("europe/berlin", "New York" -> America/New_York)."""
    raw = "_".join(text.strip().split())
    zones = _all_zones()
    if raw.lower() in zones:
        return zones[raw.lower()]
    matches = [name for key, name in zones.items() if key.endswith("/" + raw.lower())]
    return matches[0] if len(matches) == 1 else None


async def set_zone(ctx: FlowContext, name: str) -> None:
    await ctx.core.users.set_timezone(ctx.session, ctx.user, name)
    await ctx.reply(ts.ZONE_SET.format(zone=name, now=local_now(ctx, name)))


def zone_name(ctx: FlowContext) -> str:
    return ctx.user.timezone or "UTC"


def shown(ctx: FlowContext, when: datetime) -> str:
    """A moment in the creator's own zone, as they would say it."""
    return when.astimezone(ZoneInfo(zone_name(ctx))).strftime("%a %d %b, %H:%M")
