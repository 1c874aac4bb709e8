"""Each networked provider through its real client library against the fake server."""

from __future__ import annotations

import asyncio

import pytest

from core.captions.providers.anthropic_messages import AnthropicProvider
from core.captions.providers.base import (
    Job,
    ProviderBadOutput,
    ProviderRateLimited,
    ProviderRefused,
    ProviderServerError,
    ProviderTimeout,
    ProviderUnavailable,
)
from core.captions.providers.openai_chat import OpenAIChatProvider
from core.captions.types import CaptionBrief
from tests.fakes.llm import Behaviour, FakeLLM

TIMEOUT = 60.0  # a ceiling, not a deadline: a loaded machine must not time out answers
JOB = Job(brief=CaptionBrief("red dress, rooftop at sunset"), count=3, seed=1)


def openai(fake: FakeLLM) -> OpenAIChatProvider:
    return OpenAIChatProvider(
        "openai", model="gpt-test", base_url=fake.openai_base_url, api_key="sk-test",
        timeout=TIMEOUT,
    )


def compatible(fake: FakeLLM) -> OpenAIChatProvider:
    return OpenAIChatProvider(
        "openai_compatible", model="llama-test", base_url=fake.openai_base_url,
        api_key="not-needed", timeout=TIMEOUT, nsfw_capable=True,
    )


def anthropic(fake: FakeLLM) -> AnthropicProvider:
    return AnthropicProvider(
        model="claude-test", base_url=fake.url, api_key="ak-test", timeout=TIMEOUT
    )


PROVIDERS = [openai, compatible, anthropic]


@pytest.fixture(params=PROVIDERS, ids=["openai", "openai_compatible", "anthropic"])
async def provider(request: pytest.FixtureRequest, fake_llm: FakeLLM):
    built = request.param(fake_llm)
    yield built
    await built.aclose()


async def test_normal_answer_gives_the_requested_number_of_options(provider, fake_llm):
    options = await provider.generate(JOB, TIMEOUT)

    assert len(options) == 3
    assert len({o.title for o in options}) == 3
    assert fake_llm.requests[0].api == ("anthropic" if provider.name == "anthropic" else "openai")


async def test_request_carries_the_brief_model_and_key(provider, fake_llm):
    await provider.generate(JOB, TIMEOUT)

    seen = fake_llm.requests[0]
    assert "red dress, rooftop at sunset" in seen.user_text
    assert seen.body["model"].endswith("-test")
    auth = seen.headers.get("Authorization", "") + seen.headers.get("X-Api-Key", "")
    assert "test" in auth or "not-needed" in auth


async def test_answer_that_never_comes_is_a_timeout(provider, fake_llm):
    fake_llm.hold = asyncio.Event()  # the server sits on the request until released
    try:
        with pytest.raises(ProviderTimeout):
            await provider.generate(JOB, 0.2)  # the client library's own timeout
    finally:
        fake_llm.hold.set()


async def test_server_error_is_retryable(provider, fake_llm):
    fake_llm.queue("500")

    with pytest.raises(ProviderServerError) as caught:
        await provider.generate(JOB, TIMEOUT)
    assert caught.value.retryable


async def test_rate_limit_reports_retry_after(provider, fake_llm):
    fake_llm.queue(Behaviour("429", retry_after=3))

    with pytest.raises(ProviderRateLimited) as caught:
        await provider.generate(JOB, TIMEOUT)
    assert caught.value.retry_after == pytest.approx(3.0)


async def test_refusal_text_is_a_refusal(provider, fake_llm):
    fake_llm.queue("refusal")

    with pytest.raises(ProviderRefused):
        await provider.generate(JOB, TIMEOUT)


async def test_structured_refusal_is_a_refusal(provider, fake_llm):
    fake_llm.queue("refusal_field")

    with pytest.raises(ProviderRefused):
        await provider.generate(JOB, TIMEOUT)


async def test_malformed_json_is_re_asked_once_and_repaired(provider, fake_llm):
    fake_llm.queue("malformed", "ok")

    options = await provider.generate(JOB, TIMEOUT)

    assert len(options) == 3
    assert len(fake_llm.requests) == 2
    assert "exactly 3" in str(fake_llm.requests[1].body["messages"][-1]["content"])


async def test_malformed_twice_is_bad_output(provider, fake_llm):
    fake_llm.queue("malformed", "malformed")

    with pytest.raises(ProviderBadOutput):
        await provider.generate(JOB, TIMEOUT)


async def test_too_few_options_are_topped_up_by_a_re_ask(provider, fake_llm):
    fake_llm.queue("few", "ok")

    options = await provider.generate(JOB, TIMEOUT)

    assert len(options) == 3


async def test_fenced_json_with_chatter_is_parsed(provider, fake_llm):
    fake_llm.queue("fenced")

    options = await provider.generate(JOB, TIMEOUT)

    assert [o.title.startswith("Golden light") for o in options] == [True] * 3


async def test_rejected_key_makes_the_provider_unavailable(provider, fake_llm):
    fake_llm.queue("401")

    with pytest.raises(ProviderUnavailable):
        await provider.generate(JOB, TIMEOUT)


async def test_photo_is_sent_to_vision_capable_apis(provider, fake_llm):
    job = Job(brief=JOB.brief, count=3, seed=1, image_jpeg=b"\xff\xd8fakejpeg")

    await provider.generate(job, TIMEOUT)

    assert fake_llm.requests[0].has_image


async def test_missing_model_is_unavailable_without_a_request(fake_llm):
    provider = OpenAIChatProvider(
        "openai_compatible", model=None, base_url=fake_llm.openai_base_url, api_key="x",
        timeout=TIMEOUT,
    )

    with pytest.raises(ProviderUnavailable):
        await provider.generate(JOB, TIMEOUT)
    assert fake_llm.requests == []
