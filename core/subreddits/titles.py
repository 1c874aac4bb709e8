"""What a title must satisfy, as plain predicates.

The /post rule check (core.reddit.check) reports an issue when one of these fails, and
the caption engine's fitting (core.captions.fitting) keeps rewriting until none does.
Both call the same functions so they cannot drift apart: Reddit's own matching is
case-insensitive substring matching for required and banned strings, and Python-style
regular expressions for `title_regexes` (any one must match).
"""

from __future__ import annotations

import re
from functools import lru_cache


def banned_in(text: str, strings: tuple[str, ...]) -> list[str]:
    """The banned strings that occur anywhere in `text` ("kik" is also in "kiki")."""
    lowered = text.lower()
    return [s for s in strings if s.strip() and s.lower() in lowered]


def has_required(text: str, required: tuple[str, ...]) -> bool:
    """True when `required` is empty or any one of its strings occurs in `text`."""
    lowered = text.lower()
    return not required or any(s.lower() in lowered for s in required)


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def compiled(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    """The patterns that compile: a broken moderator regex must not block every post."""
    return [p for p in (_compile(raw) for raw in patterns) if p is not None]


def matches_patterns(patterns: tuple[str, ...], text: str) -> bool:
    """True when no (valid) pattern is set or any one of them matches `text`."""
    usable = compiled(patterns)
    return not usable or any(p.search(text) for p in usable)
