"""OpenAI's moderation signal (sexual/minors) is added to the offline safety rules where
OpenAI is configured: on the request and on each option a networked provider wrote.
It never replaces the rules, and its outage never blocks captions (issue 8.1).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from core.bootstrap import Core, open_core
from core.captions import CaptionRefused
from core.captions.types import CaptionBrief
from core.db.models import Event, User
from core.users import Who
from tests.fakes.llm import FakeLLM, ScriptedLLM

FLAGGED_ONLY_BY_MODERATION = "sleepover with the girls, lingerie"


@pytest.fixture
async def llm() -> AsyncIterator[ScriptedLLM]:
    server = ScriptedLLM(["Candlelight and lace, just for you", "Soft light, slow night",
                          "Rooftop glow after dark"])
    await server.start()
    yield server
    await server.close()


def _ai(llm: FakeLLM, **extra: object) -> dict[str, object]:
    return {"provider": "openai", "base_url": llm.openai_base_url, "api_key": "sk-test",
            "max_retries": 0, **extra}


@pytest.fixture
async def openai_core(make_settings, database_url, clock, llm) -> AsyncIterator[Core]:
    async with open_core(make_settings(database_url, ai=_ai(llm)), clock=clock) as built:
        yield built


async def _generate(core: Core, description: str):
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "9", "Bea"))
    async with core.db.session() as session:
        fresh = await session.get(User, user.id)
        return await core.captions.generate(session, fresh, CaptionBrief(description))


async def _refused(core: Core, description: str) -> CaptionRefused:
    """The refusal, caught inside the unit of work so its event is committed."""
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "9", "Bea"))
        with pytest.raises(CaptionRefused) as caught:
            await core.captions.generate(session, user, CaptionBrief(description))
    return caught.value


async def _events(core: Core, kind: str) -> list[Event]:
    async with core.db.session() as session:
        return list((await session.scalars(select(Event).where(Event.kind == kind))).all())


async def test_a_request_flagged_sexual_minors_is_refused_before_the_provider(
    openai_core, llm
):
    llm.moderation_flags = ("sleepover",)
    assert openai_core.captions.gate.check(FLAGGED_ONLY_BY_MODERATION).allowed

    refusal = await _refused(openai_core, FLAGGED_ONLY_BY_MODERATION)

    assert refusal.category == "minors"
    assert llm.requests == []
    [asked] = llm.moderations
    assert asked.body["input"] == [FLAGGED_ONLY_BY_MODERATION]
    assert asked.body["model"] == "omni-moderation-latest"
    [event] = await _events(openai_core, "caption.refused")
    assert event.data == {"category": "minors", "stage": "input"}


async def test_a_flagged_option_is_dropped_and_replaced(openai_core, llm):
    llm.moderation_flags = ("slow night",)

    batch = await _generate(openai_core, "black lace, candlelight")

    assert batch.provider == "openai"
    titles = [o.title for o in batch.options]
    assert len(titles) == 3
    assert not any("slow night" in t.lower() for t in titles)
    assert any("Candlelight and lace" in t for t in titles)
    [event] = await _events(openai_core, "caption.output_blocked")
    assert event.data["categories"] == ["minors"]


async def test_the_offline_rules_answer_first_and_alone_when_they_refuse(openai_core, llm):
    await _refused(openai_core, "my 15th birthday nudes")

    assert llm.moderations == []
    assert llm.requests == []


@pytest.mark.parametrize("status", [500, 503, 429, 401])
async def test_a_moderation_outage_does_not_block_captions(openai_core, llm, status):
    llm.moderation_status = status

    batch = await _generate(openai_core, "black lace, candlelight")

    assert len(llm.moderations) == 2  # the request, then the options: both tried
    assert batch.provider == "openai"
    assert len(batch.options) == 3


async def test_during_an_outage_the_offline_rules_still_refuse(openai_core, llm):
    llm.moderation_status = 503

    refusal = await _refused(openai_core, "still in 10th grade, sexy pics")

    assert refusal.category == "minors"
    assert llm.requests == []


async def test_offline_fallback_options_are_not_sent_to_moderation(openai_core, llm):
    llm.queue("401")  # the provider rejects the key: the offline writer answers

    batch = await _generate(openai_core, "black lace, candlelight")

    assert batch.provider == "offline"
    assert len(llm.moderations) == 1  # the request only


async def test_moderation_is_not_used_without_openai_in_the_chain(
    make_settings, database_url, clock, llm
):
    ai = {"provider": "openai_compatible", "base_url": llm.openai_base_url,
          "model": "llama-test", "max_retries": 0}
    async with open_core(make_settings(database_url, ai=ai), clock=clock) as core:
        await _generate(core, "black lace, candlelight")

    assert llm.requests
    assert llm.moderations == []


async def test_moderation_can_be_turned_off(make_settings, database_url, clock, llm):
    settings = make_settings(database_url, ai=_ai(llm, moderation=False))
    async with open_core(settings, clock=clock) as core:
        await _generate(core, "black lace, candlelight")

    assert llm.requests
    assert llm.moderations == []
