"""The fallback chain end to end: chain built from `AISettings` by the real factory, real
client libraries, the fake LLM server. Time is a fake clock: backoff sleeps move it at
once, and a provider is "slow" when the server holds its request while the test moves
the clock past a deadline. Nothing here depends on how fast the machine is."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta

import pytest

from core.captions.providers.base import Job
from core.captions.providers.chain import ProviderChain
from core.captions.providers.factory import build_chain
from core.captions.types import CaptionBrief
from core.settings import AIProvider, AISettings
from tests.fakes.clock import FakeClock
from tests.fakes.llm import Behaviour, FakeLLM

BRIEF = CaptionBrief("red dress, rooftop at sunset")
JOB = Job(brief=BRIEF, count=3, seed=1)


def ai_settings(fake: FakeLLM, *fallback: AIProvider, **knobs: object) -> AISettings:
    """openai as primary, the given fallbacks each with its own endpoint on the fake."""
    endpoints = {
        AIProvider.ANTHROPIC: {"base_url": fake.url, "api_key": "ak-test", "model": "claude-t"},
        AIProvider.OPENAI_COMPATIBLE: {
            "base_url": fake.openai_base_url, "model": "llama-test",
        },
    }
    values: dict[str, object] = {
        "provider": AIProvider.OPENAI, "base_url": fake.openai_base_url,
        "api_key": "sk-test", "model": "gpt-test", "fallback": list(fallback),
        "timeout": 5.0, "max_retries": 2, "total_budget": 30.0,
        "endpoints": {k: v for k, v in endpoints.items() if k in fallback},
    }
    values.update(knobs)
    return AISettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def timer() -> FakeClock:
    """The chain's clock: every backoff sleep jumps it forward and returns at once."""
    return FakeClock(autojump=True)


@pytest.fixture
async def make_chain(
    fake_llm: FakeLLM, timer: FakeClock
) -> AsyncIterator[Callable[..., ProviderChain]]:
    built: list[ProviderChain] = []

    def _make(*fallback: AIProvider, **knobs: object) -> ProviderChain:
        chain = build_chain(ai_settings(fake_llm, *fallback, **knobs), clock=timer,
                            rng=random.Random(0))
        built.append(chain)
        return chain

    yield _make
    for chain in built:
        await chain.aclose()


@pytest.fixture
def held(fake_llm: FakeLLM) -> Iterator[asyncio.Event]:
    """The server holds every request until released: a provider that never answers."""
    gate = asyncio.Event()
    fake_llm.hold = gate
    yield gate
    gate.set()


def apis(fake: FakeLLM) -> list[str]:
    return [seen.api for seen in fake.requests]


async def requests_seen(fake: FakeLLM, count: int) -> None:
    """Wait (60 s ceiling, never part of what is asserted) for `count` requests."""
    async with asyncio.timeout(60):
        while len(fake.requests) < count:  # noqa: ASYNC110 - the fake counts, no event
            await asyncio.sleep(0.005)


async def test_healthy_primary_serves_without_degrading(make_chain, fake_llm):
    result = await make_chain(AIProvider.ANTHROPIC).run(JOB)

    assert result.provider == "openai"
    assert not result.degraded
    assert len(result.options) == 3
    assert result.attempts == ("openai:ok",)


async def test_server_error_then_success_is_retried_on_the_primary(make_chain, fake_llm, timer):
    fake_llm.queue("500", "ok")

    result = await make_chain(AIProvider.ANTHROPIC).run(JOB)

    assert result.provider == "openai"
    assert not result.degraded
    assert result.attempts == ("openai:server_error", "openai:ok")
    assert apis(fake_llm) == ["openai", "openai"]
    assert len(timer.sleeps) == 1  # one backoff between the two attempts
    assert len(result.options) == 3


async def test_retry_after_is_honoured(make_chain, fake_llm, timer):
    fake_llm.queue(Behaviour("429", retry_after=4), "ok")

    result = await make_chain().run(JOB)

    assert result.provider == "openai"
    assert timer.sleeps[0] >= 4


async def test_primary_always_failing_moves_to_the_next_provider_degraded(
    make_chain, fake_llm, timer
):
    fake_llm.queue("500", "500", "500")  # max_retries=2: three attempts on openai

    result = await make_chain(AIProvider.ANTHROPIC).run(JOB)

    assert result.provider == "anthropic"
    assert result.degraded
    assert apis(fake_llm) == ["openai"] * 3 + ["anthropic"]
    assert result.attempts[-1] == "anthropic:ok"
    assert len(timer.sleeps) == 2
    assert len(result.options) == 3


async def test_retries_follow_the_max_retries_setting(make_chain, fake_llm):
    fake_llm.queue("503")

    result = await make_chain(AIProvider.ANTHROPIC, max_retries=0).run(JOB)

    assert result.provider == "anthropic"
    assert apis(fake_llm) == ["openai", "anthropic"]


async def test_primary_timing_out_moves_to_the_openai_compatible_fallback(
    make_chain, fake_llm, timer, held
):
    chain = make_chain(AIProvider.OPENAI_COMPATIBLE, timeout=5.0, max_retries=1)
    running = asyncio.create_task(chain.run(JOB))

    await requests_seen(fake_llm, 1)
    timer.advance(timedelta(seconds=10))  # past the attempt bound (two requests' worth)
    await requests_seen(fake_llm, 2)  # the retry, also held
    fake_llm.hold = None  # the fallback's request will be answered
    timer.advance(timedelta(seconds=10))
    result = await asyncio.wait_for(running, 60)

    assert result.provider == "openai_compatible"
    assert result.degraded
    assert result.attempts == ("openai:timeout", "openai:timeout", "openai_compatible:ok")
    assert fake_llm.requests[-1].body["model"] == "llama-test"


async def test_every_networked_provider_failing_falls_back_to_offline(make_chain, fake_llm):
    fake_llm.default = Behaviour("500")
    job = Job(brief=BRIEF, count=5, seed=1)

    result = await make_chain(AIProvider.ANTHROPIC, AIProvider.OPENAI_COMPATIBLE).run(job)

    assert result.provider == "offline"
    assert result.degraded
    assert len(result.options) == 5
    assert len({o.title for o in result.options}) == 5
    assert set(apis(fake_llm)) == {"openai", "anthropic"}
    assert len(fake_llm.requests) == 9  # 3 providers x (1 + max_retries)
    assert result.attempts[-1] == "offline:ok"


async def test_refusal_moves_on_without_retrying(make_chain, fake_llm, timer):
    fake_llm.queue("refusal")

    result = await make_chain(AIProvider.ANTHROPIC).run(JOB)

    assert result.provider == "anthropic"
    assert result.attempts == ("openai:refused", "anthropic:ok")
    assert apis(fake_llm) == ["openai", "anthropic"]
    assert timer.sleeps == []


async def test_rejected_key_moves_on_without_retrying(make_chain, fake_llm, timer):
    fake_llm.queue("401")

    result = await make_chain(AIProvider.ANTHROPIC).run(JOB)

    assert result.attempts == ("openai:unavailable", "anthropic:ok")
    assert timer.sleeps == []


async def test_nsfw_job_tries_the_nsfw_capable_route_first(make_chain, fake_llm):
    job = Job(brief=BRIEF.with_changes(nsfw=True), count=3, seed=1)

    result = await make_chain(AIProvider.OPENAI_COMPATIBLE).run(job)

    assert result.provider == "openai_compatible"
    assert not result.degraded  # the first provider tried served it
    assert len(fake_llm.requests) == 1


async def test_provider_slower_than_the_total_budget_is_abandoned_for_offline(
    make_chain, fake_llm, timer, held
):
    chain = make_chain(AIProvider.ANTHROPIC, timeout=5.0, total_budget=0.3)
    running = asyncio.create_task(chain.run(JOB))

    await requests_seen(fake_llm, 1)
    timer.advance(timedelta(seconds=0.3))  # the budget ends; the 5 s timeout has not
    result = await asyncio.wait_for(running, 60)

    assert result.provider == "offline"
    assert len(result.options) == 3
    assert result.attempts[0] == "openai:timeout"  # cut by the budget, not the 5 s timeout
    assert "anthropic:no_time" in result.attempts
    assert apis(fake_llm) == ["openai"]  # nobody else was even asked


async def test_budget_is_measured_on_the_clock_not_by_the_attempt_count(
    make_chain, fake_llm, timer
):
    fake_llm.default = Behaviour("500")

    result = await make_chain(max_retries=10, total_budget=4.0).run(JOB)

    assert result.provider == "offline"
    assert result.attempts[-2:] == ("openai:no_time", "offline:ok")  # not out of retries
    assert len(fake_llm.requests) < 11
    assert sum(timer.sleeps) < 4.0  # no wait ever ran past the budget


async def test_retry_after_longer_than_the_budget_is_not_slept(make_chain, fake_llm, timer):
    fake_llm.default = Behaviour("429", retry_after=60)

    result = await make_chain(total_budget=30.0).run(JOB)

    assert result.provider == "offline"
    assert result.attempts == ("openai:rate_limited", "openai:no_time", "offline:ok")
    assert timer.sleeps == []
    assert len(fake_llm.requests) == 1


async def test_offline_primary_needs_no_server(fake_llm):
    chain = build_chain(AISettings())

    result = await chain.run(JOB)

    assert result.provider == "offline"
    assert not result.degraded
    assert len(result.options) == 3
    assert fake_llm.requests == []


async def test_offline_in_the_fallback_list_ends_the_chain(make_chain):
    chain = make_chain(AIProvider.OFFLINE, AIProvider.ANTHROPIC)

    assert [p.name for p in chain.providers] == ["openai"]
