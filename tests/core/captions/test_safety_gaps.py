"""Gaps a review found in the caption safety gate, each confirmed to get through before:
terms hidden in hashtag compounds, masked or invisible letters inside a word, an
under-18 cue in a flirting tone, missing terms and scripts, and the review's
look-alikes of real people. Ordinary words that contain these terms still pass.

Product rule: the caption engine refuses anything sexualising minors, non-consent, or
real people without consent, for every provider including offline, on input and output.
"""

from __future__ import annotations

from datetime import date

import pytest

from core.captions.safety import SafetyGate

TODAY = date(2026, 12, 3)


@pytest.fixture(scope="module")
def gate() -> SafetyGate:
    return SafetyGate(today=lambda: TODAY)


def _refused(gate: SafetyGate, text: str, category: str, *, nsfw: bool = True) -> None:
    verdict = gate.check(text, nsfw=nsfw)
    assert (verdict.allowed, verdict.category) == (False, category), verdict


# -- 3. masked letters and invisible characters inside a word ---------------------------

MASKED = [
    ("r*pe fantasy", "non_consent"), ("t*en lingerie", "minors"), ("sch**lgirl", "minors"),
    ("inc*st", "incest"), ("t\u2062een", "minors"), ("r\u2062ape fantasy", "non_consent"),
    ("bar\u2062ely legal", "minors"), ("taylor sw\u2062ift nudes", "real_people"),
    ("hidden ca\u2062mera", "non_consent"), ("te\u034fen nudes", "minors"),
    ("sch\u3164oolgirl", "minors"), ("tee\u2800n", "minors"), ("t\u180eeen", "minors"),
]


@pytest.mark.parametrize(("text", "category"), MASKED)
@pytest.mark.parametrize("nsfw", [False, True])
def test_masked_and_invisible_letters_do_not_split_a_word(gate, text, category, nsfw):
    _refused(gate, text, category, nsfw=nsfw)


@pytest.mark.parametrize("text", ["d*mn good pasta", "s*x*y dress", "sh*t happens, coffee first",
                                  "b*tch please, brunch"])
def test_masked_ordinary_words_still_pass(gate, text):
    assert gate.check(text).allowed
