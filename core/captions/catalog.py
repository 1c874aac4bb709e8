"""The menu a creator picks from: tones, styles and personas.

Only keys and rules live here; the words a tone uses are in `lexicon`, and the
one-line explanations shown in chat are in the bot's text catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    key: str
    nsfw_only: bool = False


TONES: tuple[Choice, ...] = (
    Choice("flirty"),
    Choice("playful"),
    Choice("mysterious"),
    Choice("confident"),
    Choice("wholesome"),
    Choice("bratty"),
    Choice("sultry"),
)

STYLES: tuple[Choice, ...] = (
    Choice("question"),
    Choice("teaser"),
    Choice("story"),
    Choice("one_liner"),
    Choice("pov"),
)

PERSONAS: tuple[Choice, ...] = (
    Choice("girl_next_door"),
    Choice("fitness"),
    Choice("gamer"),
    Choice("cosplayer"),
    Choice("alt"),
    Choice("glam"),
    Choice("domme", nsfw_only=True),
    Choice("seductress", nsfw_only=True),
    Choice("exhibitionist", nsfw_only=True),
)


def keys(choices: tuple[Choice, ...], *, nsfw: bool = True) -> tuple[str, ...]:
    """Keys a user may pick; NSFW-only entries are hidden unless `nsfw`."""
    return tuple(c.key for c in choices if nsfw or not c.nsfw_only)


def is_allowed(choices: tuple[Choice, ...], key: str | None, *, nsfw: bool) -> bool:
    return key is None or key in keys(choices, nsfw=nsfw)
