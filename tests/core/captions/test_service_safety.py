"""The caption service applies the gate with everything the model is given: the tone
(a flirting tone makes an under-18 cue a refusal, on input and output), the creator's
own word lists (quoted into the prompt), and nothing is charged when every option was
refused.

Product rule: the caption engine refuses anything sexualising minors, non-consent, or
real people without consent, for every provider including offline, on input and output.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.bootstrap import Core, open_core
from core.captions import CaptionRefused
from core.captions.types import CaptionBatch, CaptionBrief, Voice
from core.db.models import User
from core.users import Who
from tests.fakes.llm import ScriptedLLM


@pytest.fixture
async def llm() -> AsyncIterator[ScriptedLLM]:
    server = ScriptedLLM(["Golden hour on the rooftop, just for you"])
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def llm_core(make_settings, database_url, clock, llm) -> AsyncIterator[Core]:
    ai = {"provider": "openai", "base_url": llm.openai_base_url, "api_key": "sk-test",
          "max_retries": 0}
    async with open_core(make_settings(database_url, ai=ai), clock=clock) as built:
        yield built


async def _user(core: Core, voice: Voice | None = None) -> User:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "42", "Alice"))
        if voice is not None:
            await core.captions.set_voice(session, user, voice)
    return user


async def _generate(core: Core, user: User, brief: CaptionBrief) -> CaptionBatch:
    async with core.db.session() as session:
        fresh = await session.get(User, user.id)
        return await core.captions.generate(session, fresh, brief)


async def _used(core: Core, user: User) -> int:
    async with core.db.session() as session:
        fresh = await session.get(User, user.id)
        return (await core.captions.usage(session, fresh)).used


# -- a flirting tone ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("description", "tone"),
    [("my sweet sixteen dress", "sultry"), ("8th grade graduation dress", "flirty"),
     ("prom night", "bratty")],
)
async def test_an_age_cue_in_a_flirting_tone_is_refused_before_the_provider(
        llm_core, llm, description, tone):
    user = await _user(llm_core)

    with pytest.raises(CaptionRefused) as caught:
        await _generate(llm_core, user, CaptionBrief(description, tone=tone))

    assert caught.value.category == "minors"
    assert llm.requests == []


async def test_the_same_memory_in_a_wholesome_tone_is_written(llm_core, llm):
    user = await _user(llm_core)

    batch = await _generate(llm_core, user,
                            CaptionBrief("my sweet sixteen dress", tone="wholesome"))

    assert len(batch.options) == 3


async def test_an_age_cue_in_a_flirting_output_is_dropped(llm_core, llm):
    llm.titles = ["i'm 15, new selfie", "Golden hour on the rooftop, just for you"]
    user = await _user(llm_core)

    batch = await _generate(llm_core, user,
                            CaptionBrief("red dress, rooftop at sunset", tone="flirty"))

    assert batch.options
    assert not any("15" in o.title for o in batch.options)


# -- the creator's word lists ----------------------------------------------------------

async def test_unsafe_entries_of_the_word_lists_never_reach_the_prompt(llm_core, llm):
    voice = Voice(banned_words=("rooftop", "teen", "sexyteen"),
                  avoid_phrases=("barely legal schoolgirl", "golden hour vibes"))
    user = await _user(llm_core, voice)

    batch = await _generate(llm_core, user, CaptionBrief("red dress at sunset"))

    assert len(batch.options) == 3
    prompt = llm.requests[0].user_text.lower()
    assert "rooftop" in prompt
    assert "golden hour vibes" in prompt
    for unsafe in ("teen", "schoolgirl", "barely"):
        assert unsafe not in prompt


# -- nothing accepted, nothing charged ---------------------------------------------------

async def test_a_refused_flirty_request_is_not_charged(core):
    user = await _user(core)

    with pytest.raises(CaptionRefused) as caught:
        await _generate(core, user, CaptionBrief("i'm 15, new selfie", tone="flirty"))

    assert caught.value.category == "minors"
    assert await _used(core, user) == 0
