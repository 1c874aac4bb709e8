"""The caption safety gate: what it refuses, what it lets through, and how the service
applies it to the request (before any provider runs) and to every generated option.

Product issue: refuse content that sexualises minors, non-consent, incest, bestiality and
real or famous people; normalise before matching; refusals are friendly, say why and are
recorded as events; NSFW output only for confirmed 18+ users who turned NSFW on; for every
provider including offline, on input and output.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from core.bootstrap import Core, open_core
from core.captions import CaptionRefused
from core.captions import safety_terms as terms
from core.captions.safety import SafetyGate, normalise
from core.captions.types import CaptionBrief
from core.db.models import Event, User
from core.errors import UserFacingError
from core.users import Who
from tests.fakes.llm import ScriptedLLM

CATEGORIES = {"minors", "non_consent", "incest", "bestiality", "real_people"}


@pytest.fixture(scope="module")
def gate() -> SafetyGate:
    return SafetyGate()


# -- 1. what must be refused ---------------------------------------------------------

MUST_REFUSE = [
    # minors: a bare teen age next to sexual words, in digits or words
    ("17 and horny", "minors"),
    ("14 nude", "minors"),
    ("fourteen, nude selfie", "minors"),
    ("seventeen and naked", "minors"),
    ("just turned 15, sexy", "minors"),
    ("aged 16 lingerie", "minors"),
    ("17 and horny pics", "minors"),
    ("16 and nude photos of me", "minors"),
    ("fourteen and naked videos", "minors"),
    ("16 nude pics for my fans", "minors"),
    ("age seventeen, topless", "minors"),
    # non-consent: intoxicated
    ("drunk nude selfie", "non_consent"),
    # minors: ages, age words, school settings, "barely legal" and friends
    ("16 year old in a bikini", "minors"),
    ("sixteen yo selfie", "minors"),
    ("fifteen years old", "minors"),
    ("16yo mirror pic", "minors"),
    ("age 15 and curious", "minors"),
    ("barely legal", "minors"),
    ("just turned 18 and naughty", "minors"),
    ("UnDeRaGe party", "minors"),
    ("under-age model", "minors"),
    ("jail-bait vibes", "minors"),
    ("high school prom night", "minors"),
    ("school uniform, lewd", "minors"),
    ("daddy's little girl", "minors"),
    ("ddlg roleplay", "minors"),
    ("nude selfie with a kid", "minors"),
    # minors, obfuscated
    ("t33n bikini pics", "minors"),  # leetspeak
    ("l0li art", "minors"),  # leetspeak
    ("s c h o o l g i r l outfit", "minors"),  # spaced letters
    ("p r e t e e n", "minors"),  # spaced letters
    ("b.a.r.e.l.y l.e.g.a.l", "minors"),  # punctuation between letters
    ("T-E-E-N", "minors"),  # punctuation + case
    ("schооlgirl cosplay", "minors"),  # Cyrillic о
    ("tееn", "minors"),  # Cyrillic е
    ("ｔｅｅｎ model", "minors"),  # fullwidth letters
    ("teeeeen", "minors"),  # repeated letters
    ("t\u200been", "minors"),  # zero-width space
    # non-consent
    ("r4pe fantasy", "non_consent"),
    ("non-con roleplay", "non_consent"),
    ("n o n c o n", "non_consent"),
    ("against her will", "non_consent"),
    ("hidden cam in the shower", "non_consent"),
    ("upsk1rt", "non_consent"),
    ("ROOFIED", "non_consent"),
    ("passed out and naked", "non_consent"),
    ("forced nude", "non_consent"),
    ("revenge porn", "non_consent"),
    # incest
    ("1nc3st", "incest"),
    ("i n c e s t", "incest"),
    ("step-sis nude", "incest"),
    ("stepbro sex", "incest"),
    ("naked with my brother", "incest"),
    ("taboo family", "incest"),
    # bestiality
    ("b3stiality", "bestiality"),
    ("zoophilia", "bestiality"),
    ("nude with my dog", "bestiality"),
    ("horse sex", "bestiality"),
    ("animal sex", "bestiality"),
    # real or famous people
    ("deepfake of a singer", "real_people"),
    ("f4ce swap", "real_people"),
    ("taylor swift nude", "real_people"),
    ("Taylor Swіft lingerie", "real_people"),  # Cyrillic і
    ("celeb nudes", "real_people"),
    ("sexy pic of my ex", "real_people"),
    ("famous actress naked", "real_people"),
    ("nude lookalike of emma watson", "real_people"),
    ("sexy T R U M P", "real_people"),
]


@pytest.mark.parametrize(("text", "category"), MUST_REFUSE, ids=[t for t, _ in MUST_REFUSE])
def test_unsafe_text_is_refused_with_its_category(gate, text, category):
    verdict = gate.check(text)

    assert not verdict.allowed
    assert verdict.category == category
    assert verdict.matched


def test_the_refusal_list_covers_every_category():
    assert {category for _, category in MUST_REFUSE} == CATEGORIES == set(terms.RULES)


@pytest.mark.parametrize(("text", "category"), MUST_REFUSE, ids=[t for t, _ in MUST_REFUSE])
def test_nsfw_mode_never_unlocks_a_refusal(gate, text, category):
    verdict = gate.check(text, nsfw=True)

    assert not verdict.allowed
    assert verdict.category in CATEGORIES


@pytest.mark.parametrize(
    "text",
    ["t33n", "s c h o o l g i r l", "ｔｅｅｎ", "tееn", "T.E.E.N", "TeEn", "t\u200been"],
)
def test_normalising_reads_obfuscations_as_plain_words(text):
    readings = " ".join(normalise(text))

    assert "teen" in readings or "schoolgirl" in readings


# -- 2. what must pass ---------------------------------------------------------------

MUST_PASS = [
    # numbers that are counts, prices, times or adult ages, not a minor's age
    ("15% off my onlyfans this week", True),
    ("16 new pics for my fans", True),
    ("$15 for the nude set", True),
    ("live at 15:30, sexy", True),
    ("my 15th video, lingerie", True),
    ("wasted no time getting into lingerie", True),
    ("25 and horny", True),
    # everyday SFW
    ("red dress, rooftop at sunset", False),
    ("lingerie try-on haul", False),
    ("gym selfie after leg day", False),
    ("cosplay as a witch", False),
    ("feeling cute in my new bikini", False),
    ("coffee date", False),
    ("beach day with the girls", False),
    ("new tattoo reveal", False),
    ("golden hour glow", False),
    ("tennis skirt and messy bun", False),
    ("forest hike", False),
    ("pool party", False),
    ("walking my dog", False),
    ("my sister's wedding", False),
    ("mom jeans and a crop top", False),
    ("dad bod appreciation", False),
    ("party animal", False),
    ("hot dog stand", False),
    ("horseback riding", False),
    ("college graduation", False),
    ("famous last words", False),
    ("eighteen and proud", False),
    ("21 years old today", False),
    ("30 yo and thriving", False),
    ("my 5 year old puppy", False),
    # risky substrings inside innocent words
    ("Scunthorpe weekend", False),
    ("grape season at the vineyard", False),
    ("my therapist says self care", False),
    ("Middlesex road trip", False),
    ("Essex girl night out", False),
    ("teeny tiny bikini", False),
    ("canteen lunch", False),
    ("steeped tea", False),
    ("lollipop", False),
    ("pedometer steps", False),
    ("drape the scarf", False),
    ("cocktail hour", False),
    ("reading dickens", False),
    ("kidding around", False),
    ("sonnet of the day", False),
    # adult, for users who may see NSFW
    ("nude art photo in soft light", True),
    ("lace bodysuit, candlelight", True),
    ("topless on the beach", True),
    ("boudoir shoot", True),
    ("sexy in black lace", True),
    ("kinky and confident", True),
    ("naked yoga", True),
    ("skinny dipping at midnight", True),
    ("nurse costume", True),
    ("petite and proud", True),
]


@pytest.mark.parametrize(
    ("text", "nsfw"), MUST_PASS, ids=[f"{t}{' [nsfw]' if n else ''}" for t, n in MUST_PASS]
)
def test_ordinary_and_adult_text_passes(gate, text, nsfw):
    verdict = gate.check(text, nsfw=nsfw)

    assert verdict.allowed, verdict


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("walking my dog, nude", "bestiality"),
        ("my sister's wedding, naked", "incest"),
        ("leaked nudes", "non_consent"),
        ("my teacher in lingerie", "real_people"),
    ],
)
def test_context_words_are_refused_next_to_sexual_words(gate, text, category):
    verdict = gate.check(text)

    assert (verdict.allowed, verdict.category) == (False, category)


def test_explicit_words_are_detected_and_stripped_for_sfw(gate):
    assert gate.is_explicit("n u d e beach")
    assert gate.is_explicit("N4KED")
    assert not gate.is_explicit("red dress, rooftop at sunset")
    assert gate.strip_explicit("nude art photo in soft light") == "art photo in soft light"


# -- 3. the refusal is friendly and names why ------------------------------------------


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_refusal_is_a_user_facing_error_naming_the_category(category):
    refusal = CaptionRefused(category)

    assert isinstance(refusal, UserFacingError)
    assert refusal.code == "caption_refused"
    assert refusal.params == {"category": category}
    assert refusal.category == category


# -- 4. through the service ------------------------------------------------------------


UNSAFE_OUTPUT = [
    "Barely legal and loving it",
    "Golden hour on the rooftop, just for you",
    "Deepfake energy tonight",
]
EXPLICIT_OUTPUT = [
    "Naked and waiting on the rooftop",
    "Topless at golden hour",
    "Red dress, rooftop, sunset mood",
]


@pytest.fixture
async def llm() -> AsyncIterator[ScriptedLLM]:
    server = ScriptedLLM(UNSAFE_OUTPUT)
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def llm_core(make_settings, database_url, clock, llm) -> AsyncIterator[Core]:
    """A core whose only caption provider is OpenAI, pointed at the scripted server."""
    ai = {"provider": "openai", "base_url": llm.openai_base_url, "api_key": "sk-test",
          "max_retries": 0}
    async with open_core(make_settings(database_url, ai=ai), clock=clock) as built:
        yield built


@pytest.fixture
async def compatible_core(make_settings, database_url, clock, llm) -> AsyncIterator[Core]:
    """A core on an NSFW-capable self-hosted provider, pointed at the scripted server."""
    ai = {"provider": "openai_compatible", "base_url": llm.openai_base_url,
          "model": "llama-test", "max_retries": 0}
    async with open_core(make_settings(database_url, ai=ai), clock=clock) as built:
        yield built


async def _user(core: Core, *, adult: bool = False, nsfw: bool = False) -> User:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "42", "Alice"))
        if adult:
            await core.users.confirm_adult(session, user)
        if nsfw:
            assert await core.users.set_nsfw(session, user, True)
    return user


async def _generate(core: Core, user: User, brief: CaptionBrief):
    async with core.db.session() as session:
        fresh = await session.get(User, user.id)
        return await core.captions.generate(session, fresh, brief)


async def _events(core: Core, kind: str) -> list[Event]:
    async with core.db.session() as session:
        return list((await session.scalars(select(Event).where(Event.kind == kind))).all())


@pytest.mark.parametrize(
    ("description", "category"),
    [("t33n in a bikini", "minors"), ("n o n c o n", "non_consent"),
     ("sexy T R U M P", "real_people")],
)
async def test_unsafe_input_is_refused_before_the_provider_and_recorded(
    llm_core, llm, description, category
):
    user = await _user(llm_core)

    async with llm_core.db.session() as session:
        fresh = await session.get(User, user.id)
        with pytest.raises(CaptionRefused) as caught:
            await llm_core.captions.generate(session, fresh, CaptionBrief(description))

    assert caught.value.category == category
    assert caught.value.code == "caption_refused"
    assert llm.requests == []
    [event] = await _events(llm_core, "caption.refused")
    assert event.user_id == user.id
    assert event.data == {"category": category, "stage": "input"}
    assert await _events(llm_core, "caption.generated") == []


async def test_unsafe_subreddit_is_refused_too(llm_core, llm):
    user = await _user(llm_core)

    with pytest.raises(CaptionRefused) as caught:
        await _generate(llm_core, user,
                        CaptionBrief("red dress, rooftop at sunset", subreddit="r/teenagers"))

    assert caught.value.category == "minors"
    assert llm.requests == []


async def test_offline_provider_refuses_unsafe_input_and_records_it(core):
    user = await _user(core)

    async with core.db.session() as session:
        fresh = await session.get(User, user.id)
        with pytest.raises(CaptionRefused) as caught:
            await core.captions.generate(session, fresh, CaptionBrief("b.a.r.e.l.y l.e.g.a.l"))

    assert caught.value.category == "minors"
    [event] = await _events(core, "caption.refused")
    assert event.data["stage"] == "input"


async def test_refusal_for_the_local_operator_needs_no_session(core):
    with pytest.raises(CaptionRefused):
        await core.captions.generate(None, None, CaptionBrief("zoophilia"))


@pytest.mark.parametrize(
    "description",
    ["red dress, rooftop at sunset", "gym selfie after leg day", "cosplay as a witch"],
)
async def test_offline_output_passes_the_gate(core, description):
    user = await _user(core)

    batch = await _generate(core, user, CaptionBrief(description, count=5))

    assert len(batch.options) == 5
    for option in batch.options:
        text = " ".join(filter(None, (option.title, option.body, *option.hashtags)))
        assert core.captions.gate.check(text).allowed
        assert not core.captions.gate.is_explicit(text)


async def test_unsafe_provider_output_is_dropped_and_replaced(llm_core, llm):
    user = await _user(llm_core)

    batch = await _generate(llm_core, user, CaptionBrief("red dress, rooftop at sunset"))

    assert len(llm.requests) >= 1
    assert batch.provider == "openai"
    titles = [o.title for o in batch.options]
    assert len(titles) == 3
    assert not any("Barely legal" in t or "Deepfake" in t for t in titles)
    assert any("Golden hour on the rooftop" in t for t in titles)
    for option in batch.options:
        assert llm_core.captions.gate.check(option.title).allowed
    [event] = await _events(llm_core, "caption.output_blocked")
    assert event.user_id == user.id
    assert event.data["provider"] == "openai"
    assert event.data["categories"] == ["minors", "real_people"]


async def test_explicit_output_is_not_shown_to_a_user_without_18_plus(llm_core, llm):
    llm.titles = EXPLICIT_OUTPUT
    user = await _user(llm_core)

    batch = await _generate(llm_core, user,
                            CaptionBrief("nude art photo in soft light", nsfw=True))

    assert batch.nsfw_downgraded
    assert "nude" not in llm.requests[0].user_text.lower()
    assert len(batch.options) == 3
    for option in batch.options:
        assert not option.nsfw
        text = " ".join(filter(None, (option.title, option.body, *option.hashtags)))
        assert not llm_core.captions.gate.is_explicit(text), text
    [event] = await _events(llm_core, "caption.output_blocked")
    assert event.data["categories"] == ["explicit"]


async def test_confirmed_adult_who_has_not_enabled_nsfw_still_gets_sfw(llm_core, llm):
    llm.titles = EXPLICIT_OUTPUT
    user = await _user(llm_core, adult=True)

    batch = await _generate(llm_core, user,
                            CaptionBrief("nude art photo in soft light", nsfw=True))

    assert batch.nsfw_downgraded
    assert not any(llm_core.captions.gate.is_explicit(o.title) for o in batch.options)


async def test_adult_with_nsfw_on_keeps_explicit_but_safe_output(compatible_core, llm):
    llm.titles = EXPLICIT_OUTPUT
    user = await _user(compatible_core, adult=True, nsfw=True)

    batch = await _generate(compatible_core, user,
                            CaptionBrief("nude art photo in soft light", nsfw=True))

    assert not batch.nsfw_downgraded
    assert batch.provider == "openai_compatible"
    assert "nude" in llm.requests[0].user_text.lower()
    assert any(compatible_core.captions.gate.is_explicit(o.title) for o in batch.options)
    assert await _events(compatible_core, "caption.output_blocked") == []


async def test_adult_with_nsfw_on_still_never_sees_refused_output(compatible_core, llm):
    llm.titles = ["Step-sis sneaking into my room, naked", *EXPLICIT_OUTPUT]
    user = await _user(compatible_core, adult=True, nsfw=True)

    batch = await _generate(compatible_core, user,
                            CaptionBrief("nude art photo in soft light", nsfw=True))

    assert len(batch.options) == 3
    assert not any("sis" in o.title.lower() for o in batch.options)
    [event] = await _events(compatible_core, "caption.output_blocked")
    assert event.data["categories"] == ["incest"]
