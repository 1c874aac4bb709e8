""""When should it go out?" in the creator's own words and time zone.

Accepted: "now", "in 2h" / "in 90 min" / "in 1h30m" / "in 3 days", "tomorrow 9pm",
"today 18:30", "fri 18:30" / "next friday 9am", a bare "21:00" (its next occurrence),
and ISO-8601 ("2026-03-08 14:30", with or without an offset). Wall-clock times are read
in the creator's zone (zoneinfo) on that day, so "tomorrow 9pm" stays 9 pm across a
daylight-saving change while "in 2h" is two real hours. A wall time that does not exist
(the hour skipped in spring) moves forward by the gap; one that happens twice (autumn)
is the first. Unparseable, past or beyond-horizon times are refused with an example:
a time we could not read is never posted "now".
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from core.settings import Settings

EXAMPLE = "tomorrow 9pm"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_UNITS = {"m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
          "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
          "d": 86400, "day": 86400, "days": 86400, "w": 604800, "week": 604800,
          "weeks": 604800}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_CLOCK = re.compile(r"^(?:at\s+)?(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$")
# A time reached by rounding can be a few seconds behind "now" by the time it is checked.
PAST_GRACE = timedelta(seconds=60)


class WhenError(Exception):
    """Why a time was refused; `code` is a catalogue key, `params` fill its text.

    A plain exception (not a frozen dataclass): raising must be able to set
    `__traceback__` and `__context__` on it, e.g. through a `db.session()` block."""

    def __init__(self, code: str, params: dict[str, object] | None = None) -> None:
        super().__init__(code)
        self.code = code  # when_unreadable | when_past | when_beyond_horizon | when_bad_zone
        self.params: dict[str, object] = dict(params or {})

    def __str__(self) -> str:
        return f"{self.code} {self.params}"


def valid_zone(name: str) -> bool:
    """An IANA zone name; path-like names are refused before ZoneInfo reads a file by
    that name (the one check for the chat and the web settings)."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise WhenError("when_bad_zone", {"zone": name, "example": "Europe/Berlin"}) from exc


def local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant `day at` on the wall clocks of `tz`, in UTC.

    PEP 495's fold=0 does what a creator means at both transitions: a time inside the
    spring-forward gap is read with the old offset (so 02:30 becomes 03:30 new time),
    and a time that happens twice in autumn is its first occurrence.
    """
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(UTC)


def _clock(text: str) -> time | None:
    match = _CLOCK.match(text.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _duration(text: str) -> timedelta | None:
    rest = text.replace(" and ", " ")
    total, pos = 0.0, 0
    for match in _DURATION.finditer(rest):
        if rest[pos:match.start()].strip() or match.group(2) not in _UNITS:
            return None
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos == 0 or rest[pos:].strip():
        return None
    return timedelta(seconds=total)


def _iso(text: str, tz: ZoneInfo) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    return local(parsed.date(), parsed.time(), tz)


def _weekday(word: str) -> int | None:
    word = word.rstrip(".")
    if len(word) < 3:
        return None
    return next((i for i, name in enumerate(WEEKDAYS) if name.startswith(word)), None)


def _parse(text: str, tz: ZoneInfo, now: datetime) -> datetime | None:
    raw = " ".join(text.strip().lower().split())
    if raw in ("now", "right now", "asap"):
        return now
    if raw.startswith("in "):
        delta = _duration(raw[3:])
        return now + delta if delta else None
    iso = _iso(text.strip(), tz)
    if iso is not None:
        return iso
    today = now.astimezone(tz).date()
    words = raw.split(" ", 1)
    head, rest = words[0], (words[1] if len(words) > 1 else "")
    if head == "next" and rest:
        head, _, rest = rest.partition(" ")
    if head in ("today", "tonight", "tomorrow", "tmrw", "tmr"):
        at = _clock(rest) if rest else None
        if at is None:
            return None
        if head == "tonight" and at.hour < 12:
            at = at.replace(hour=at.hour + 12)
        day = today + timedelta(days=0 if head in ("today", "tonight") else 1)
        return local(day, at, tz)
    weekday = _weekday(head)
    if weekday is not None:
        at = _clock(rest) if rest else None
        if at is None:
            return None
        ahead = (weekday - today.weekday()) % 7
        when = local(today + timedelta(days=ahead), at, tz)
        return when if when > now else local(today + timedelta(days=ahead + 7), at, tz)
    at = _clock(raw)
    if at is not None:  # a bare time: its next occurrence
        when = local(today, at, tz)
        return when if when > now else local(today + timedelta(days=1), at, tz)
    return None


def parse_when(
    text: str, tz_name: str | None, now: datetime, *, horizon_days: int | None = None
) -> datetime:
    """The UTC instant `text` means for a creator in `tz_name`, or `WhenError`."""
    tz = zone(tz_name)
    when = _parse(text, tz, now)
    if when is None:
        raise WhenError("when_unreadable", {"text": text, "example": EXAMPLE})
    if when < now - PAST_GRACE:
        shown = when.astimezone(tz).strftime("%a %d %b %H:%M")
        raise WhenError("when_past", {"when": shown, "example": EXAMPLE})
    if horizon_days is not None and when > now + timedelta(days=horizon_days):
        raise WhenError("when_beyond_horizon", {"days": horizon_days, "example": "in 3 days"})
    return max(when, now)


def horizon_for(tier: str, horizons: dict[str, int | None]) -> int | None:
    """The tier's scheduling horizon in days (unknown tier: the smallest one)."""
    if tier in horizons:
        return horizons[tier]
    finite = [d for d in horizons.values() if d is not None]
    return min(finite) if finite else None


def tier_horizon(settings: Settings, tier: str) -> int | None:
    """The scheduling horizon of `tier` in days, from the billing plans (which honour an
    explicit `posting.horizon_days`): the one answer for chat, CLI and the service."""
    from core.billing.tiers import Plans

    return Plans(settings).get(tier).horizon_days
