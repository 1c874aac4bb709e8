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


# -- 1. terms inside compound words and hashtags ----------------------------------------

COMPOUNDS = [
    ("sexyteen", "minors"), ("#naughtyschoolgirl", "minors"), ("hotjailbait", "minors"),
    ("petiteloli", "minors"), ("PetiteTeenGirls", "minors"), ("LegalTeens", "minors"),
    ("barelylegalteens", "minors"), ("#lilgirl", "minors"), ("#rapefantasy", "non_consent"),
    ("mystepsis", "incest"), ("drunkgirl", "non_consent"),
    ("#taylorswiftnudes", "real_people"),
]


@pytest.mark.parametrize(("text", "category"), COMPOUNDS)
def test_terms_inside_compound_words_are_refused(gate, text, category):
    _refused(gate, text, category)


@pytest.mark.parametrize("text", ["sexyteen", "#naughtyschoolgirl", "#taylorswiftnudes"])
def test_compounds_that_say_it_all_are_refused_in_sfw_too(gate, text):
    assert not gate.check(text).allowed


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


# -- 4. missing terms, languages and look-alike scripts ---------------------------------

MISSING = [
    # minors
    ("younger than 18", "minors"), ("below 18", "minors"), ("u18", "minors"),
    ("not quite legal", "minors"), ("too young for this", "minors"),
    ("still in school", "minors"), ("class of 2028", "minors"), ("grade ten", "minors"),
    ("lil girl", "minors"), ("yung girl", "minors"), ("schoolkid", "minors"),
    ("skoolgirl", "minors"), ("schoolgurl", "minors"), ("sk00lgirl", "minors"),
    ("niña desnuda", "minors"), ("jovencita", "minors"), ("diecisiete", "minors"),
    ("Schulmädchen", "minors"), ("écolière", "minors"), ("ragazzina", "minors"),
    ("школьница", "minors"), ("女子高生", "minors"), ("ロリ", "minors"),
    ("schօօlgirl", "minors"),
    # non-consent
    ("while she sleeps", "non_consent"), ("unaware she's being filmed", "non_consent"),
    ("secretly filmed", "non_consent"), ("without her knowledge", "non_consent"),
    ("voyeur", "non_consent"), ("hid a camera", "non_consent"),
    ("somnophilia", "non_consent"), ("chloroform", "non_consent"),
    ("sedated", "non_consent"), ("she begged me to stop", "non_consent"),
    ("violación", "non_consent"), ("vergewaltigt", "non_consent"),
    # real people
    ("looks like Kate Upton, topless", "real_people"), ("Mia Khalifa", "real_people"),
    ("Olivia Dunne", "real_people"), ("AOC", "real_people"),
    ("kardashian", "real_people"), ("Scarlett Johanson", "real_people"),
    ("my colleague", "real_people"), ("a girl from my gym", "real_people"),
]


@pytest.mark.parametrize(("text", "category"), MISSING)
def test_missing_terms_are_refused(gate, text, category):
    _refused(gate, text, category)


def test_a_look_alike_of_a_named_person_is_refused_next_to_sexual_words(gate):
    _refused(gate, "she resembles Jane Doe, nude", "real_people", nsfw=False)
    assert gate.check("looks like Kate Upton in a sundress").allowed


def test_a_graduating_class_is_read_against_the_clock(gate):
    assert not gate.check("class of 2027, bikini pics").allowed
    assert gate.check("class of 2026, bikini pics").allowed  # graduated this summer
    assert gate.check("class of 2010 reunion, little black dress", nsfw=True).allowed
    assert gate.check("college class of 2028, bikini pics").allowed


# -- what must still pass --------------------------------------------------------------

ORDINARY_SFW = [
    "canteen lunch", "sateen dress", "velveteen blazer", "thirteen likes",
    "nineteen candles", "class of 2010 reunion", "umpteenth selfie", "between shoots",
    "grape season at the vineyard", "new drapery", "my therapist says self care",
    "nonconformist vibes", "trumpet lessons", "rapping in the car", "frappe date",
    "Steenbok sighting", "stepstool", "footsteps", "calorie counting", "カロリー",
    "Florida beach", "Nina's birthday", "quince jam", "seize the day", "speedo",
    "u18 football coach", "still in grad school", "looks like Heaven",
    "sleepover with my girls", "hidden gem cafe", "voyage",
]
ORDINARY_ADULT = [
    "sateen dress, lingerie", "velveteen robe, nude art", "canteen date, sexy",
    "nineteen and naked", "class of 2010 reunion, little black dress", "frappe and lingerie",
    "trapped in lingerie", "wrapped up, nude", "grapefruit and lingerie",
    "looks like Heaven, topless", "Looks Like Fun In Lingerie",
    "she looks like a goddess, nude", "Nina in lingerie", "rapping in lingerie",
    "Florida beach, topless", "therapist approved self care, nude", "#sexyselfie",
    "#lingerielover", "#nudeart", "#bootyshorts", "new lingerie set coming soon",
    "bikini pics, more soon",
]


@pytest.mark.parametrize("text", ORDINARY_SFW)
def test_ordinary_words_containing_the_new_terms_pass(gate, text):
    assert gate.check(text).allowed, gate.check(text)


@pytest.mark.parametrize("text", ORDINARY_ADULT)
def test_adult_text_with_those_words_passes_as_nsfw(gate, text):
    assert gate.check(text, nsfw=True).allowed, gate.check(text, nsfw=True)


# -- 2. an under-18 cue in a flirting tone ----------------------------------------------

@pytest.mark.parametrize(
    "text", ["my sweet sixteen dress", "8th grade graduation dress", "i'm 15, new selfie"])
def test_an_age_cue_is_refused_in_a_suggestive_tone(gate, text):
    assert gate.check(text).allowed  # an ordinary memory in a neutral tone
    verdict = gate.check(text, suggestive=True)
    assert (verdict.allowed, verdict.category) == (False, "minors")


@pytest.mark.parametrize(
    "text", ["i'm 15 and feeling like trouble 😘 slide into my DMs",
             "my sweet sixteen at the party, and it only gets warmer from here 💋"])
def test_the_flirting_tones_own_phrases_count_as_body_focus(gate, text):
    verdict = gate.check(text)
    assert (verdict.allowed, verdict.category) == (False, "minors")


def test_a_suggestive_tone_alone_refuses_nothing_adult(gate):
    for text in ["red dress, rooftop at sunset", "30 and flirty", "my 25th birthday dress",
                 "16 new pics", "class of 2010 reunion"]:
        assert gate.check(text, suggestive=True).allowed, text


def test_soon_is_not_son_but_son_still_is(gate):
    assert gate.check("Feeling grateful in this lingerie, and more sunshine coming soon").allowed
    _refused(gate, "nude with my son", "minors", nsfw=False)
    _refused(gate, "my s0n, lingerie", "minors", nsfw=False)
