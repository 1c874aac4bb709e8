"""The safety gate: every prompt and every generated option passes through it,
whatever the provider (offline included).

Text is normalised first (Unicode compatibility forms, look-alike letters, accents,
case, leetspeak, letters spaced or dotted apart, repeated letters) so "t33n",
"ｔｅｅｎ", "t.e.e.n" and "teeeen" all read as "teen". Refusals name a category, which
the chat turns into a friendly explanation.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from core.captions import safety_terms as terms
from core.captions.age import AgeReasoner, numeric_reading

# Invisible characters, variation selectors and the emoji keycap ("1️⃣5️⃣" -> "15"); every
# format character (Unicode category Cf, e.g. U+2062 "invisible times") goes as well.
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\ufe00-\ufe0f\u20e3"
                         "\u034f\u180e\u3164\u2800\u115f\u1160\uffa0]")
# A word with letters masked by `*` ("r*pe", "sch**lgirl"): each `*` is one letter.
_MASKED = re.compile(r"[a-z]+(?:\*+[a-z]+)+")
_SUFFIXES = ("", "s", "es", "ed", "ing", "er", "ers")
# "looks like Kate Upton": a look-alike of a named person (on the original-case text).
_LOOKALIKE = re.compile(
    r"(?i:(?<![a-z])(?:looks?(?:ing)?\s+(?:just\s+|exactly\s+|a\s+lot\s+)?like|"
    r"resembl(?:e|es|ing)|look\s*-?\s*alike(?:\s+of)?|doppel\s*-?\s*g[aä]nger(?:\s+of)?|"
    r"dead\s+ringer\s+for|twin\s+of|double\s+of)\s+)"
    r"(?P<name>[A-Z][a-z'’]+(?:[\s-]+[A-Z][a-z'’]+)*)")
_NOT_A_NAME = frozenset((
    "i", "a", "an", "the", "this", "that", "my", "your", "heaven", "christmas", "summer",
    "spring", "winter", "fall", "autumn", "paradise", "god", "goddess", "sin", "trouble",
    "fun", "art", "love", "perfection", "halloween", "valentine", "valentines", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "barbie", "dessert",
    "candy", "sunshine", "magic", "hollywood", "vegas", "paris", "french", "italian",
    "goth", "bratz", "disney", "snow", "easter", "new", "old", "me", "you", "her", "him",
))
_SINGLE_RUN = re.compile(r"(?<![a-z0-9])(?:[a-z0-9] ){2,}[a-z0-9](?![a-z0-9])")
_SUFFIX = r"(?:s|es|ed|ing|er|ers|'s)?"
_UNDER_18 = r"(?:1[0-7]|[1-9])"
_AGE_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|" \
    r"fourteen|fifteen|sixteen|seventeen)"
_NOT_A_PERSON = r"(?!\s*(?:dog|cat|puppy|pup|kitten|car|house|horse|bottle|whisk|tree|plant))"
# Leetspeak is decoded per token, except real numbers ("$15,", "2024", "15:30", "20%",
# "mom of 3"), which would otherwise read as words ("$15" -> "sis"). A lone digit among
# spaced-out letters still decodes, so "s c h 0 0 l" is caught.
_NUMBER_TOKEN = re.compile(
    r"(?<!\S)([$€£]?\d+(?:[.,:]\d+)*%?)(?=[,.;:!?)\]]*(?!\S))|\S+")
_PREVIOUS_TOKEN = re.compile(r"(\S+)\s+$")
_NEXT_TOKEN = re.compile(r"[,.;:!?)\]]*\s+(\S+)")
# Letters dotted or dashed apart ("s.e.x.y p.i.c.s", "T-E-E-N") join into their word.
_DOTTED = re.compile(r"(?<![a-z0-9])[a-z](?:[.\-_*~·•']+[a-z])+(?![a-z0-9])")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    category: str | None = None
    matched: str | None = None


ALLOWED = Verdict(True)


def _term_pattern(term: str) -> str:
    """A plain term's pattern, to be matched at the start of a word."""
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
    return f"{body}{tail}"


@functools.cache
def _compile(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a term list, compiled once per process (every Core builds a gate,
    and Python's own pattern cache is small enough for other code to evict these).
    Plain terms share a single word-start check (one look-behind per position instead
    of one per term, which is most of the gate's time); `re:` entries carry their own."""
    plain = [f"(?:{_term_pattern(w)})" for w in words if not w.startswith("re:")]
    raw = [f"(?:{w[3:]})" for w in words if w.startswith("re:")]
    parts = [*raw, "(?<![a-z])(?:" + "|".join(plain) + ")"] if plain else raw
    return re.compile("|".join(parts))


def _visible(text: str) -> str:
    """NFKC with every invisible and format character removed (case kept)."""
    if text.isascii():
        return text
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _fold_keep_accents(text: str) -> str:
    text = _visible(text).casefold()
    return "".join(terms.CONFUSABLES.get(ch, ch) for ch in text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", _fold_keep_accents(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _join_dotted(text: str) -> str:
    return _DOTTED.sub(lambda m: re.sub(r"[^a-z]", "", m.group()), text)


def _spaced(text: str) -> str:
    text = re.sub(r"[^a-z0-9']+", " ", _join_dotted(text)).replace("'", "")
    text = re.sub(r"[^a-z0-9']+", " ", text).replace("'", "")
    text = " ".join(text.split())
    # "u n d e r a g e" -> "underage"
    return _SINGLE_RUN.sub(lambda m: m.group().replace(" ", "") + " ", text).strip()


def normalise(text: str) -> tuple[str, ...]:
    """The readings of `text` the gate scans: digits kept (for ages), and leetspeak
    decoded with `1` read as `i` and as `l`."""
    return _readings(_fold(text))


def _readings(folded: str) -> tuple[str, ...]:
    bases = (folded, _leet(folded, one="i"), _leet(folded, one="l"))
    readings = [_spaced(base) for base in bases]
    if "*" in folded:  # and once more with masked letters read back ("t*en" -> "teen")
        readings += [_spaced(_unmask(base)) for base in bases]
    return tuple(dict.fromkeys(readings))


@functools.cache
def _vocabulary() -> dict[int, tuple[str, ...]]:
    """Every word the gate looks for (and its simple suffixed forms), by length: what a
    masked word may stand for."""
    words: set[str] = set(terms.MASKABLE)
    for listing in (*terms.RULES.values(), (terms.SEXUAL, terms.BODY_FOCUS)):
        for group in listing:
            for term in group:
                if not term.startswith("re:"):
                    words.update(w.rstrip("*") for w in term.split())
    by_length: dict[int, list[str]] = {}
    for word in words:
        if word.isalpha() and len(word) > 2:
            for suffix in _SUFFIXES:
                by_length.setdefault(len(word + suffix), []).append(word + suffix)
    return {n: tuple(sorted(ws)) for n, ws in by_length.items()}


def _unmask(text: str) -> str:
    """`text` with each masked word replaced by the first listed word it can stand for
    ("r*pe" -> "rape", "inc*st" -> "incest"); other masked words stay as they are."""

    def swap(match: re.Match[str]) -> str:
        token = match.group()
        shape = re.compile(re.escape(token).replace(r"\*", "[a-z]"))
        found = (w for w in _vocabulary().get(len(token), ()) if shape.fullmatch(w))
        return next(found, token)

    return _MASKED.sub(swap, text)


@functools.cache
def _compile_inside(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Terms looked for anywhere, also inside a word ("sexyteen"); plain ones let each
    letter repeat."""
    parts = [w if not w.replace(" ", "").isalnum() else
             "".join(re.escape(c) + "+" if c.isalpha() else re.escape(c) for c in w)
             for w in words]
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


def _leet(text: str, *, one: str) -> str:
    """Leetspeak decoded token by token (`1` read as `one`); real numbers stay numbers."""
    table = {**terms.LEET, "1": one}

    def swap(match: re.Match[str]) -> str:
        token = match.group()
        if match.group(1) and not _among_letters(match):
            return token
        return "".join(table.get(c, c) for c in token)

    return _NUMBER_TOKEN.sub(swap, text)


def _among_letters(match: re.Match[str]) -> bool:
    """A single digit between single characters is a spaced-out letter ("s c h 0 0 l")."""
    if len(match.group()) != 1:
        return False
    before = _PREVIOUS_TOKEN.search(match.string, 0, match.start())
    after = _NEXT_TOKEN.match(match.string, match.end())
    return any(m is not None and len(m.group(1)) == 1 for m in (before, after))


class SafetyGate:
    """Compiled once per `CaptionService`; `check` is pure and thread-safe. `today`
    (for birth years such as "born in 2009") defaults to the UTC date."""

    def __init__(self, today: Callable[[], date] | None = None) -> None:
        self._rules = [
            (category, _compile(always), _compile(context))
            for category, (always, context) in terms.RULES.items()
        ]
        self._sexual = _compile(terms.SEXUAL)
        self._explicit = _compile(terms.EXPLICIT)
        self._body = _compile(terms.BODY_FOCUS)
        self._ages = AgeReasoner(today)
        self._inside = [
            (category, _compile_inside(terms.COMPOUND_ALWAYS.get(category, ())),
             _compile_inside(terms.COMPOUND_IN_CONTEXT.get(category, ())))
            for category in terms.RULES
        ]
        self._inside_sexual = _compile_inside(terms.COMPOUND_SEXUAL)
        self._innocent = re.compile("|".join(terms.COMPOUND_SAFE))
        self._non_latin = re.compile("|".join(terms.MINORS_NON_LATIN))
        self._age = re.compile(
            rf"(?<![0-9]){_UNDER_18}\s*(?:yo|y o|yrs? old|years? old|year old|yr old)(?![a-z])"
            rf"{_NOT_A_PERSON}|(?<![a-z])age[ds]?\s*(?:{_UNDER_18}(?![0-9])|{_AGE_WORDS}"
            rf"(?![a-z]))|(?<![a-z]){_AGE_WORDS}"
            rf"\s*(?:yo|years? old|year old)(?![a-z]){_NOT_A_PERSON}"
        )

    def check(self, text: str, *, nsfw: bool = False, suggestive: bool = False) -> Verdict:
        """Refuse content that sexualises minors, non-consent, incest, bestiality or
        real people. Context-dependent words count only in a sexual context; any
        under-18 cue (`core.captions.age`) also in a body-focused one, or in any text
        written in a flirting tone (`suggestive`: `suggestive_brief`)."""
        if not text.isascii() and (match := self._non_latin.search(_visible(text).casefold())):
            return Verdict(False, "minors", match.group())
        folded = _fold(text)
        forms = _readings(folded)
        sexual = nsfw or any(self._sexual.search(f) for f in forms)
        for form in forms:
            if match := self._age.search(form):
                return Verdict(False, "minors", match.group())
        if sexual or suggestive or any(self._body.search(f) for f in forms):
            numeric = numeric_reading(_join_dotted(folded))
            readings = dict.fromkeys((*forms, _spaced(numeric)))
            if cue := self._ages.cue(_fold_keep_accents(text), numeric, readings):
                return Verdict(False, "minors", cue)
        for category, always, context in self._rules:
            for form in forms:
                match = always.search(form) or (context.search(form) if sexual else None)
                if match:
                    return Verdict(False, category, match.group())
        return self._check_inside(forms, sexual) or self._check_lookalike(text, sexual)

    def _check_inside(self, forms: tuple[str, ...], sexual: bool) -> Verdict | None:
        """Terms hidden inside compound words and hashtags ("#naughtyschoolgirl",
        "mystepsis", "#taylorswiftnudes"), once innocent words are set aside."""
        for form in forms:
            plain = self._innocent.sub(" ", form)
            for category, always, context in self._inside:
                match = always.search(plain) if always else None
                if not match and context and (found := context.search(plain)):
                    rest = plain[:found.start()] + " " + plain[found.end():]
                    if sexual or (category == "real_people" and self._inside_sexual
                                  and self._inside_sexual.search(rest)):
                        match = found
                if match:
                    return Verdict(False, category, match.group())
        return None

    @staticmethod
    def _check_lookalike(text: str, sexual: bool) -> Verdict:
        """"looks like Kate Upton, topless": a named person's look-alike in a sexual
        context. Title Case text capitalises every word, so there a name is not told."""
        if not sexual:
            return ALLOWED
        visible = _visible(text)
        words = re.findall(r"[^\W\d_]+", visible)
        if words and sum(w[0].isupper() for w in words) / len(words) > 0.6:
            return ALLOWED
        for match in _LOOKALIKE.finditer(visible):
            name = match.group("name")
            if name.split()[0].casefold() not in _NOT_A_NAME:
                return Verdict(False, "real_people", match.group())
        return ALLOWED

    def is_explicit(self, text: str) -> bool:
        """True when `text` contains explicit sexual words (not for SFW output)."""
        return any(self._explicit.search(f) for f in normalise(text))

    def strip_explicit(self, text: str) -> str:
        """Remove explicit words from a SFW description before writing from it."""
        return " ".join(w for w in text.split() if not self.is_explicit(w))


def suggestive_brief(tone: str | None, persona: str | None) -> bool:
    """True for a tone or persona that flirts (`safety_terms.SUGGESTIVE_TONES`)."""
    return tone in terms.SUGGESTIVE_TONES or persona in terms.SUGGESTIVE_PERSONAS
