"""Generated specification cases for the age reasoning of the safety gate (issue 8.1).

Must-refuse: templates x under-18 expressions x obfuscations, each next to sexual or
body-focused words (or asked as NSFW). Must-pass: what adult creators write, with adult
ages, harmless numbers, schools and birthdays. `rates` keeps the measured rates so the
terminal summary (conftest) can report them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

TODAY = date(2025, 6, 1)  # the gate under test is given this date (birth years)


@dataclass(frozen=True)
class Case:
    text: str
    nsfw: bool
    source: str  # the expression the case was built from, for failure messages


# -- under-18 expressions, by kind ---------------------------------------------------
MINOR_AGES = {
    "cardinal": [
        "15", "16", "17", "14", "13", "fifteen", "sixteen", "seventeen", "15 yrs", "16 years",
        "1 5 yrs", "15yo", "i'm 12", "im 15", "she's 14", "turned 16", "turning 17",
        "turning 18 next week", "age 16", "[16f]", "(15f)", "17/f", "15-17", "13 to 15",
        "l6", "１６", "¹⁶", "1\u200b7", "quince años", "16 ans", "16 Jahre", "sixteen y/o",
    ],
    "ordinal": [
        "15th birthday", "17th bday", "16th b-day", "fifteenth birthday", "sweet sixteen",
        "sweet 16", "quinceañera", "1 6th birthday", "14th birthday", "18th birthday",
        "seventeenth bday",
    ],
    "birth_year": ["born in 2010", "2009 baby", "born 2008"],
    "grade": [
        "10th grade", "9th grader", "tenth grade", "grade 9", "grade 11", "year 10", "year 11",
        "Y10", "in year 9", "Klasse 9", "9. Klasse", "Gymnasium Klasse 9", "en seconde",
        "en troisième", "4ème", "sophomore in hs", "freshman in high school", "hs junior",
        "middle school", "junior high", "high school", "secondary school", "sixth form",
        "lycée", "lycéenne", "collège", "Realschule", "scuola media", "liceo", "secondaria",
        "secundaria", "prepa", "ensino médio", "middelbare school", "joshikousei",
    ],
    "life_stage": [
        "just got my learner's permit", "learners permit", "driver's ed", "L plates",
        "GCSEs", "homeroom", "recess", "hall pass", "detention", "prom night", "hoco",
        "bar mitzvah", "got grounded", "past curfew", "training bra", "old enough to babysit",
        "almost 18", "not 18 yet", "permit test", "school tomorrow",
    ],
}
CONTENT = ["nudes", "sexy pics", "lingerie", "bikini pics", "thirst trap", "topless",
           "body pics", "rate my body", "naked", "in my bra", "booty pics", "lewd"]
REFUSE_TEMPLATES = ["my {age} {content}", "{age}, {content}", "{content}, {age}",
                    "still {age} lol {content}"]
NSFW_TEMPLATES = ["{age} photoshoot", "{age} mood"]  # asked as NSFW: no sexual word needed


# -- obfuscations --------------------------------------------------------------------
_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"})
_CYRILLIC = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с"})
_FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_KEYCAP = {str(d): f"{d}\ufe0f\u20e3" for d in range(10)}


def _letters_only(convert: Callable[[str], str]) -> Callable[[str], str]:
    """Apply `convert` to words, never to numbers (a number obfuscation is separate)."""
    return lambda text: " ".join(w if any(c.isdigit() for c in w) else convert(w)
                                 for w in text.split(" "))


OBFUSCATIONS: dict[str, Callable[[str], str]] = {
    "plain": lambda s: s,
    "upper": str.upper,
    "leet": _letters_only(lambda w: _leet(w)),
    "cyrillic": lambda s: s.translate(_CYRILLIC),
    "fullwidth": lambda s: "".join(_FULLWIDTH.get(c, c) for c in s),
    "zero_width": lambda s: "\u200b".join(s),
    "dotted": _letters_only(lambda w: ".".join(w) if len(w) > 3 else w),
    "spaced_digits": lambda s: _spread_digits(s, " "),
    "keycap_digits": lambda s: "".join(_KEYCAP.get(c, c) for c in s),
}


def _leet(word: str) -> str:
    """Leetspeak that stays readable: a word turned wholly into digits ("test" -> "7357")
    would read as a number, to people as much as to the gate, so it keeps a letter."""
    converted = word.translate(_LEET)
    return word[0] + converted[1:] if converted.strip(",.").isdigit() else converted


def _spread_digits(text: str, sep: str) -> str:
    """"16" -> "1 6", but only in a number standing on its own ("Y10" stays)."""
    return re.sub(r"(?<![a-z])\d{2,}", lambda m: sep.join(m.group()), text, flags=re.I)


def must_refuse(age: str) -> Iterator[Case]:
    """Every refusal case built from one under-18 expression."""
    seen: set[tuple[str, bool]] = set()
    start = sum(map(ord, age)) % len(CONTENT)  # a stable mix of content per expression
    contents = itertools.cycle(CONTENT[start:] + CONTENT[:start])
    for template in REFUSE_TEMPLATES:
        text = template.format(age=age, content=next(contents))
        for obfuscate in OBFUSCATIONS.values():
            yield from _new(Case(obfuscate(text), False, age), seen)
    for template in NSFW_TEMPLATES:
        yield from _new(Case(template.format(age=age), True, age), seen)


def _new(case: Case, seen: set[tuple[str, bool]]) -> Iterator[Case]:
    if (case.text, case.nsfw) not in seen:
        seen.add((case.text, case.nsfw))
        yield case


def minor_ages() -> list[str]:
    return [age for ages in MINOR_AGES.values() for age in ages]


def all_must_refuse() -> list[Case]:
    return [case for age in minor_ages() for case in must_refuse(age)]


# -- what adults write ---------------------------------------------------------------
ADULT_MENTIONS = [
    # adult ages and birthdays
    "25", "30", "i'm 30", "21 years old", "turned 21", "turning 30", "25th birthday",
    "21st birthday", "30th bday", "thirty", "19 and thriving", "twenty-two", "40 and fabulous",
    "born in 1995", "1998 baby", "mid 20s", "in my 30s", "22f", "[25f]", "(28f)", "19",
    "just turned 21", "40th birthday", "my 35th", "teacher cosplay, 30",
    # harmless numbers
    "top 10", "size 12", "5 ft 10", "$15", "at 15:00", "15% off", "16 new pics",
    "10 year anniversary", "2nd time posting", "year 2024", "class of 2010 reunion",
    "mom of 2", "10/10", "5 years on onlyfans", "3 outfits", "part 2", "day 15 of my challenge",
    "week 12", "iphone 15 mirror selfie", "room 16", "24/7", "level 15", "15 min workout",
    "12 looks", "my 15th video", "14 days of summer", "5'10", "a solid 10", "17 new photos",
    "over 16 sets", "7 years together", "year 3 of posting", "13 followers away from 1k",
    "2 for 1 deal", "US size 14", "34D",
    # harmless schools, stages and words
    "college reunion", "college graduation", "grad school", "university", "uni life",
    "teacher cosplay", "professor cosplay", "nursing school", "senior citizen", "grade A",
    "first year of uni", "alumni weekend", "sorority formal", "spring break", "law school",
    "college freshman", "senior year of college", "adult prom themed", "dance class",
    "yoga class", "driving to work", "my own place", "career woman", "wedding night",
    "honeymoon", "divorced and thriving", "milf energy", "grown woman", "mom of 3",
    # more ordinary adult talk
    "she's a 10", "10 out of 10", "rate me 1-10", "college student", "grad student",
    "former cheerleader", "ex-teacher", "23 years old", "in my twenties", "twenty-five",
    "celebrating 10 years", "after 5 years", "single mom", "32 and single", "1990s baby",
    "90s kid", "new year new me", "happy hour", "friday night", "first date", "date night",
    "girls trip", "bachelorette party", "office siren", "librarian look", "cheer costume",
]
ADULT_CONTENT = [("lingerie shoot", False), ("bikini pics", False), ("sexy pics", False),
                 ("thirst trap", False), ("nude art", True), ("topless", True)]
PASS_TEMPLATES = ["{mention}, {content}", "{content} ({mention})"]


def all_must_pass() -> list[Case]:
    cases: list[Case] = []
    contents = itertools.cycle(ADULT_CONTENT)
    for mention in ADULT_MENTIONS:
        for template in PASS_TEMPLATES:
            content, nsfw = next(contents)
            cases.append(Case(template.format(mention=mention, content=content), nsfw, mention))
    cases += [Case(text, nsfw, text) for text, nsfw in NATURAL_PASS]
    return cases


NATURAL_PASS = [
    ("my 25th birthday lingerie shoot", False), ("21st birthday bikini", False),
    ("10 year anniversary lingerie", False), ("top 10 lingerie", False),
    ("size 12 bikini", False), ("5 ft 10 and loving my body", False),
    ("2nd time posting, be nice", True), ("class of 2010 reunion, little black dress", False),
    ("mom of 2 and still sexy", False), ("grade A thirst trap", False),
    ("senior citizen discount, sexy", False), ("new year 2024, new lingerie", False),
    ("$15 for the full bikini set", False), ("live at 15:00 in lingerie", True),
    ("college reunion in a tiny dress", False), ("30 and flirty", False),
]


# The rate tests record their rates under this name; the root conftest prints them at
# the end of the run (user properties travel from xdist workers to the controller).
SPEC_RATE = "caption_safety_rate"
