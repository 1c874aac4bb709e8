"""Reading the settings forms: what a person typed -> values, or friendly messages
(their words are core.texts.site's, like every page's).

Pure functions (no request, no database), so each rule is easy to test. Limits match
the chat's /voice (30 entries of at most 60 characters) so a list saved on the web is
one the chat accepts and shows in full.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from core.captions import catalog
from core.captions.types import WordListRefused, parse_word_list
from core.imageshield.levels import Level
from core.posting.when import valid_zone
from core.texts import site as texts

MAX_LINK = 300
NO_PROTECTION = "none"
PROTECT_CHOICES = (NO_PROTECTION, *(level.value for level in Level))
EMOJI_CHOICES = ("0", "1", "2", "3")
LinkCheck = Callable[[str], str | None]


@dataclass
class Result:
    """Parsed values plus one message per field that needs fixing."""

    values: dict[str, object] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(form: Mapping[str, object], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def parse_words(text: str) -> list[str] | str:
    """The word list (core.captions.types.parse_word_list), or what is wrong with it."""
    try:
        return parse_word_list(text)
    except WordListRefused as refused:
        words = texts.WORDS_TOO_LONG if refused.code == "too_long" else texts.WORDS_TOO_MANY
        return words.format(limit=refused.limit)


def parse_link(text: str, clean: LinkCheck) -> str | None:
    """A promo link, checked by the same rule as the chat's /voice (`clean`), or raises
    ValueError with the message to show. "linktr.ee/me" means the https address."""
    link = text.strip()
    if not link:
        return None
    if len(link) > MAX_LINK:
        raise ValueError(texts.PROMO_LINK_TOO_LONG.format(limit=MAX_LINK))
    if "://" not in link:
        link = f"https://{link}"
    cleaned = clean(link)
    if cleaned is None:
        raise ValueError(texts.PROMO_LINK_UNUSABLE)
    return cleaned


def voice(form: Mapping[str, object], clean_link: LinkCheck) -> Result:
    """Captions section: default tone and style, emoji budget, banned words, promo link."""
    result = Result()
    tone = _text(form, "tone")
    if tone and tone not in catalog.keys(catalog.TONES):
        result.errors["tone"] = texts.PICK_TONE
    result.values["tone"] = tone or None
    style = _text(form, "style")
    if style and style not in catalog.keys(catalog.STYLES):
        result.errors["style"] = texts.PICK_STYLE
    result.values["style"] = style or None
    emoji = _text(form, "emoji_budget") or "2"
    if emoji not in EMOJI_CHOICES:
        result.errors["emoji_budget"] = texts.PICK_EMOJI
    else:
        result.values["emoji_budget"] = int(emoji)
    words = parse_words(_text(form, "banned_words"))
    if isinstance(words, str):
        result.errors["banned_words"] = words
    else:
        result.values["banned_words"] = words
    try:
        result.values["promo_link"] = parse_link(_text(form, "promo_link"), clean_link)
    except ValueError as exc:
        result.errors["promo_link"] = str(exc)
    return result


def content(form: Mapping[str, object], already_adult: bool) -> Result:
    """Adult content: on only with the 18+ confirmation (given now or before)."""
    result = Result()
    nsfw = _text(form, "nsfw") == "on"
    adult = already_adult or _text(form, "adult") == "on"
    if nsfw and not adult:
        result.errors["adult"] = texts.CONFIRM_ADULT
    result.values["nsfw"] = nsfw
    result.values["confirm_adult"] = nsfw and adult and not already_adult
    return result


def posting(form: Mapping[str, object]) -> Result:
    """Time zone and the default image protection level."""
    result = Result()
    zone = _text(form, "timezone").strip() or "UTC"
    if not valid_zone(zone):
        result.errors["timezone"] = texts.BAD_ZONE
    result.values["timezone"] = zone
    level = _text(form, "protect_level") or NO_PROTECTION
    if level not in PROTECT_CHOICES:
        result.errors["protect_level"] = texts.PICK_PROTECTION
    result.values["protect_level"] = None if level == NO_PROTECTION else level
    return result


def notifications(form: Mapping[str, object]) -> Result:
    """Which notices go to the chat and to push: one checkbox per topic and route
    (`posted_chat`, `failed_push`, ...); an unticked box is absent from the form."""
    from core.push.prefs import ROUTES, TOPICS

    result = Result()
    for topic in TOPICS:
        for route in ROUTES:
            name = f"{topic}_{route}"
            result.values[name] = _text(form, name) == "on"
    return result
