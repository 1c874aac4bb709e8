"""The age reasoner: does a text say, in any form, that someone is under 18?

The safety gate asks it only when the text is sexual or body-focused (or the request is
NSFW), so a cue here is a refusal there. It reads:
- ages: bare teen numbers ("17 and horny"), "15 yrs", "i'm 12", "turning 16", ordinals
  with a birthday ("15th birthday", "sweet sixteen"), Reddit tags ("[16f]"), birth years
  ("born in 2009"), spaced or look-alike digits ("1 5", "l5", "¹⁵") and ranges ("15-17");
- school grades and years in several systems (`age_terms.GRADES`, `SCHOOL`);
- life stages that imply under 18 (`age_terms.LIFE_STAGES`).

Numbers that are counts, ranks, sizes, prices or times are not ages: "16 new pics",
"top 15", "size 12", "$15", "15:30", "10 year anniversary", "5 ft 10". The choices
behind the cues are documented in `age_terms`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from core.captions import age_terms as t
from core.captions.safety_terms import LEET

_SPLIT_DIGITS = re.compile(
    r"(?<![0-9a-z.,:/$€£])\d(?:[ _*~]\d)+(?=(?:st|nd|rd|th|yo|yrs?|y|f|e|eme)?(?![0-9a-z%:]))")
_LETTER_DIGIT = re.compile(r"(?<![a-z0-9])[l|!](\d)(?![a-z0-9])")
_TOKEN = re.compile(r"[a-z0-9@$€£¡+|!']*[a-z0-9@$€£]")
_KEEP = re.compile(r"[$€£]?\d+(?:'\d+)?(?:st|nd|rd|th|e|eme|er|o|yo|y|yrs?|f|m|s|k|x|h)?")
# A count: "16 pics", "16 new ...", "15 of my best sets". After "i'm 15" or "turned 16" only a unit
# right after the number makes it a count ("i'm 15 minutes away").
_COUNTED = rf"(?!\s*(?:%|(?:{t.COUNT_FILLER}|{t.COUNT_NOUN})(?![a-z])))"
_UNIT_AFTER = rf"(?!\s*(?:%|{t.COUNT_NOUN}(?![a-z])))"
_PREVIOUS_WORD = re.compile(r"([a-z]+)[\s:#]*$")


def numeric_reading(folded: str) -> str:
    """`folded` with obfuscated numbers restored and leetspeak decoded only in words:
    "1 5" and "l5" read "15", "b1rthd4y" reads "birthday", "15th" stays "15th"."""
    text = _SPLIT_DIGITS.sub(lambda m: re.sub(r"[ _*~]", "", m.group()), folded)
    text = _LETTER_DIGIT.sub(r"1\1", text)

    def decode(match: re.Match[str]) -> str:
        token = match.group()
        if _KEEP.fullmatch(token):
            return token
        return "".join(LEET.get(ch, ch) for ch in token)

    return _TOKEN.sub(decode, text)


class AgeReasoner:
    """Compiled once per gate; `cue` is pure apart from reading today's date."""

    def __init__(self, today: Callable[[], date] | None = None) -> None:
        self._today = today or (lambda: datetime.now(UTC).date())
        number = rf"(?:{t.U18}|{t.U18_WORDS})"
        self._bare = re.compile(
            rf"(?<![0-9a-z$€£#.,:/-])1[3-7](?![0-9a-z%:/])(?![.,][0-9]){_COUNTED}"
            r"|(?<![a-z])(?:thirteen|fourteen|fifteen|sixteen|seventeen)(?![a-z])"
            rf"|(?<![a-z]){t.FOREIGN_TEEN}(?![a-z])"
        )
        self._tags = re.compile(
            r"[\[(]\s*(?:[fm]\s*1[0-7]|1[0-7]\s*[fm])\s*[\])]"
            r"|(?<![a-z0-9/.])1[0-7]\s?(?:f|/\s*[fm])(?![a-z0-9])"
        )
        self._units = re.compile(
            rf"(?<![0-9a-z])(?:{t.U18}|{t.U18_WORDS}|{t.FOREIGN_U18})\s?{t.AGE_UNITS}"
            rf"(?![a-z0-9])(?!\s(?:{t.SPAN_AFTER})(?![a-z]))"
        )
        self._cues = re.compile("(?<![a-z0-9])(?:" + "|".join((
            *t.GRADES,
            *(rf"(?:{p})(?![a-z])" for p in (*t.SCHOOL, *t.LIFE_STAGES)),
            rf"{t.ORDINAL_TO_18}\s?{t.BIRTHDAY}(?![a-z])",
            rf"{t.BIRTHDAY}\s{t.ORDINAL_TO_18}(?![a-z0-9])",
            rf"{t.BIRTHDAY}\s(?:girl\s|boy\s)?{number}(?![0-9a-z]){_UNIT_AFTER}",
            r"(?:im|i am|iam|shes|she is|hes|he is|turned|turning|turn)\s"
            rf"(?:just\s|only\s|barely\s)?{number}(?![0-9a-z]){_UNIT_AFTER}",
            r"(?:turning|turn|to turn)\s(?:18|eighteen)(?![0-9a-z])",
        )) + ")")
        self._born = re.compile(
            r"(?<![a-z])born\s(?:in\s)?(?P<a>(?:19|20)\d\d|\d\d)(?![0-9])"
            r"|(?<![0-9])(?P<b>(?:19|20)\d\d)\s(?:baby|babies|liner|line)(?![a-z])"
        )
        self._class_of = re.compile(t.CLASS_OF)
        # French middle school; English "college" (no accent) is not a cue. Spanish
        # "niña"/"niño" (girl/boy), told from the name "Nina" by its tilde.
        self._french_college = re.compile("c[o0]llèg[e3]|(?<![a-z])niñ[ao]s?(?![a-z])")

    def cue(self, accented: str, numeric: str, readings: Iterable[str]) -> str | None:
        """The first under-18 cue: `accented` is the folded text with its accents,
        `numeric` its `numeric_reading` (punctuation kept), `readings` the gate's spaced
        readings."""
        if match := self._french_college.search(re.sub(r"[.\-_*~·•]", "", accented)):
            return match.group()
        for match in self._bare.finditer(numeric):
            if not _labelled(numeric, match.start()):
                return match.group()
        if match := self._tags.search(numeric):
            return match.group()
        for reading in readings:
            if match := self._cues.search(reading):
                return match.group()
            for found in self._units.finditer(reading):
                if _previous_word(reading, found.start()) not in _SPAN_BEFORE:
                    return found.group()
            if found_year := self._born_minor(reading):
                return found_year
            if found_class := self._class_minor(reading):
                return found_class
        return None

    def _class_minor(self, reading: str) -> str | None:
        """A graduating class still at school: "class of 2028" before it graduates
        (in the summer); a class still at school is mostly under 18."""
        today = self._today()
        for match in self._class_of.finditer(reading):
            graduates = int(match.group("c"))
            if graduates > today.year or (graduates == today.year and today.month < 7):
                return match.group()
        return None

    def _born_minor(self, reading: str) -> str | None:
        year = self._today().year
        for match in self._born.finditer(reading):
            digits = match.group("a") or match.group("b")
            born = int(digits)
            if len(digits) == 2:
                born += 2000 if born <= year % 100 else 1900
            if 0 <= year - born < 18:
                return match.group()
        return None


_SPAN_BEFORE = frozenset(t.SPAN_BEFORE.strip("(?:)").split("|"))


def _previous_word(text: str, end: int) -> str:
    match = _PREVIOUS_WORD.search(text, 0, end)
    return match.group(1) if match else ""


def _labelled(text: str, start: int) -> bool:
    """True when the word before a number makes it a rank, size or label ("top 15")."""
    return _previous_word(text, start) in t.NOT_AGE_BEFORE
