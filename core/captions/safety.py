"""The safety gate: every prompt and every generated option passes through it,
whatever the provider (offline included).

Text is normalised first (Unicode compatibility forms, look-alike letters, accents,
case, leetspeak, letters spaced or dotted apart, repeated letters) so "t33n",
"ｔｅｅｎ", "t.e.e.n" and "teeeen" all read as "teen". Refusals name a category, which
the chat turns into a friendly explanation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.captions import safety_terms as terms

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_SINGLE_RUN = re.compile(r"(?<![a-z0-9])(?:[a-z0-9] ){2,}[a-z0-9](?![a-z0-9])")
_SUFFIX = r"(?:s|es|ed|ing|er|ers|'s)?"
_UNDER_18 = r"(?:1[0-7]|[1-9])"
_AGE_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|" \
    r"fourteen|fifteen|sixteen|seventeen)"
_NOT_A_PERSON = r"(?!\s*(?:dog|cat|puppy|pup|kitten|car|house|horse|bottle|whisk|tree|plant))"
# Leetspeak is decoded per token, except real numbers ("$15", "2024", "15:30", "20%"),
# which would otherwise read as words ("$15" -> "sis"). Single digits still decode, so
# spaced-out letters like "s c h 0 0 l" are caught.
_NUMBER_TOKEN = re.compile(r"(?<!\S)([$€£]?\d{2,}(?:[.,:]\d+)*%?|[$€£]\d+%?)(?!\S)|\S+")
_TEEN_DIGITS = r"1[3-7]"
_TEEN_WORDS = r"(?:thirteen|fourteen|fifteen|sixteen|seventeen)"
# A count of things is not an age: "15 pics", "15 new photos", "16 minutes", "15% off".
# Only a plain filler word may stand between, never a sexual one ("17 and horny pics"),
# and spelled-out teen ages never count as counts.
_COUNT_FILLER = r"(?:new|more|exclusive|fresh|bonus|free|extra|hd|full|short|long|daily|weekly)"
_COUNT_NOUN = (r"(?:percent|pics?|photos?|videos?|vids?|clips?|sets?|min|mins|minutes?|sec|"
               r"secs|seconds?|hours?|hrs?|days?|weeks?|times?|dollars?|bucks|usd|eur|k|x|"
               r"followers?|subs|likes|posts?|items?|looks?|outfits?|shots?|selfies?)")
_COUNTED = rf"(?!\s*(?:%|(?:{_COUNT_FILLER}\s+)?{_COUNT_NOUN}(?![a-z])))"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    category: str | None = None
    matched: str | None = None


ALLOWED = Verdict(True)


def _term_pattern(term: str) -> str:
    if term.startswith("re:"):
        return term[3:]
    prefix = term.endswith("*")
    word = term.rstrip("*")
    parts = []
    for ch in word:
        if ch == " ":
            parts.append(r"\s*")
        elif ch.isalpha():
            parts.append(re.escape(ch) + "+")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    tail = "" if prefix else _SUFFIX + r"(?![a-z])"
    return rf"(?<![a-z]){body}{tail}"


def _compile(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{_term_pattern(w)})" for w in words))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text).casefold()
    text = "".join(terms.CONFUSABLES.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _spaced(text: str) -> str:
    text = re.sub(r"[^a-z0-9']+", " ", text).replace("'", "")
    text = " ".join(text.split())
    # "u n d e r a g e" -> "underage"
    return _SINGLE_RUN.sub(lambda m: m.group().replace(" ", "") + " ", text).strip()


def normalise(text: str) -> tuple[str, ...]:
    """The readings of `text` the gate scans: digits kept (for ages), and leetspeak
    decoded with `1` read as `i` and as `l`."""
    folded = _fold(text)
    readings = (_spaced(folded), _spaced(_leet(folded, one="i")), _spaced(_leet(folded, one="l")))
    return tuple(dict.fromkeys(readings))


def _leet(text: str, *, one: str) -> str:
    """Leetspeak decoded token by token (`1` read as `one`); real numbers stay numbers."""
    table = {**terms.LEET, "1": one}
    return _NUMBER_TOKEN.sub(
        lambda m: m.group() if m.group(1) else "".join(table.get(c, c) for c in m.group()),
        text)


class SafetyGate:
    """Compiled once per `CaptionService`; `check` is pure and thread-safe."""

    def __init__(self) -> None:
        self._rules = [
            (category, _compile(always), _compile(context))
            for category, (always, context) in terms.RULES.items()
        ]
        self._sexual = _compile(terms.SEXUAL)
        self._explicit = _compile(terms.EXPLICIT)
        self._age = re.compile(
            rf"(?<![0-9]){_UNDER_18}\s*(?:yo|y o|yrs? old|years? old|year old|yr old)(?![a-z])"
            rf"{_NOT_A_PERSON}|(?<![a-z])age[ds]?\s*(?:{_UNDER_18}(?![0-9])|{_AGE_WORDS}"
            rf"(?![a-z]))|(?<![a-z]){_AGE_WORDS}"
            rf"\s*(?:yo|years? old|year old)(?![a-z]){_NOT_A_PERSON}"
        )
        # A bare teen age next to sexual words ("17 and horny", "fourteen nude"). Read
        # on the folded text, before punctuation is dropped, so "$15" or "15:30" and
        # ordinals ("15th") are not ages.
        self._bare_teen_age = re.compile(
            rf"(?<![0-9a-z$€£#.,:/-])(?:{_TEEN_DIGITS}(?![0-9a-z%:/])(?![.,][0-9]){_COUNTED}"
            rf"|{_TEEN_WORDS}(?![a-z]))"
        )

    def check(self, text: str, *, nsfw: bool = False) -> Verdict:
        """Refuse content that sexualises minors, non-consent, incest, bestiality or
        real people. Context-dependent words count only in a sexual context."""
        forms = normalise(text)
        sexual = nsfw or any(self._sexual.search(f) for f in forms)
        for form in forms:
            if match := self._age.search(form):
                return Verdict(False, "minors", match.group())
        if sexual and (match := self._bare_teen_age.search(_fold(text))):
            return Verdict(False, "minors", match.group())
        for category, always, context in self._rules:
            for form in forms:
                match = always.search(form) or (context.search(form) if sexual else None)
                if match:
                    return Verdict(False, category, match.group())
        return ALLOWED

    def is_explicit(self, text: str) -> bool:
        """True when `text` contains explicit sexual words (not for SFW output)."""
        return any(self._explicit.search(f) for f in normalise(text))

    def strip_explicit(self, text: str) -> str:
        """Remove explicit words from a SFW description before writing from it."""
        return " ".join(w for w in text.split() if not self.is_explicit(w))
