"""The checks of what lies across a network: Stripe, AI providers, the public URL's
TLS, /metrics. Each failure names the problem and its fix."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from core.bootstrap import open_core
from core.ops.checks import Status
from tests.bot.cli.checks_instance import closed_port
from tests.core.ops.checking import check
from tests.fakes.llm import FakeLLM
from tests.fakes.reddit_tls import make_cert, server_context
from tests.fakes.stripe import stripe_section
from web.app import init_app


@pytest.fixture
async def llm() -> AsyncIterator[FakeLLM]:
    fake = FakeLLM()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def tls_site(tmp_path: Path) -> AsyncIterator[tuple[str, Path]]:
    """https://127.0.0.1:<port> with a certificate valid for one more day."""
    cert, key = make_cert(tmp_path / "tls")

    async def hang_up(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0,
                                        ssl=server_context(cert, key))
    yield f"https://127.0.0.1:{server.sockets[0].getsockname()[1]}", cert
    server.close()
    await server.wait_closed()


async def test_stripe_not_configured_is_not_a_failure(make_settings):
    assert (await check("Stripe", make_settings())).status is Status.SKIP


async def test_a_stripe_key_without_a_webhook_secret_fails_naming_the_endpoint(
        make_settings, fake_stripe):
    settings = make_settings(web={"public_url": "https://tp.example"},
                             stripe=stripe_section(fake_stripe, webhook=False))
    result = await check("Stripe", settings)
    assert result.status is Status.FAIL
    assert "https://tp.example/billing/stripe/webhook" in result.hint


async def test_a_refused_stripe_key_fails(make_settings, fake_stripe):
    section = stripe_section(fake_stripe) | {"secret_key": "sk_live_not_the_right_one"}
    result = await check("Stripe", make_settings(stripe=section))
    assert result.status is Status.FAIL
    assert result.detail == "Stripe refused stripe.secret_key"


async def test_offline_captions_need_nothing(make_settings):
    result = await check("AI providers", make_settings())
    assert result.status is Status.OK
    assert result.detail == "offline captions only (nothing to reach)"


async def test_a_refused_ai_key_fails(make_settings, llm):
    llm.models_key = "the-right-key"
    settings = make_settings(ai={"provider": "openai", "base_url": llm.openai_base_url,
                                 "api_key": "a-wrong-key"})
    result = await check("AI providers", settings)
    assert result.status is Status.FAIL
    assert result.detail == "openai: the API key was refused (401)"


async def test_an_unreachable_ai_provider_fails(make_settings):
    settings = make_settings(ai={"provider": "anthropic", "api_key": "k",
                                 "base_url": f"http://127.0.0.1:{closed_port()}"})
    result = await check("AI providers", settings)
    assert result.status is Status.FAIL
    assert result.detail.startswith("anthropic: cannot reach http://127.0.0.1:")


async def test_a_model_the_provider_does_not_offer_is_a_warning(make_settings, llm):
    settings = make_settings(ai={"provider": "openai_compatible", "model": "no-such-model",
                                 "base_url": llm.openai_base_url})
    result = await check("AI providers", settings)
    assert result.status is Status.WARN
    assert "does not offer the model no-such-model" in result.detail


async def test_no_public_url_fails(make_settings):
    result = await check("public URL", make_settings())
    assert result.status is Status.FAIL
    assert result.detail == "web.public_url is not set"


async def test_a_plain_http_public_url_fails(make_settings):
    result = await check("public URL", make_settings(web={"public_url": "http://tp.example"}))
    assert result.status is Status.FAIL
    assert "TLS proxy" in result.hint


async def test_an_untrusted_certificate_fails(make_settings, tls_site):
    url, _ = tls_site
    result = await check("public URL", make_settings(web={"public_url": url}))
    assert result.status is Status.FAIL
    assert "certificate is not trusted" in result.detail


async def test_a_certificate_about_to_expire_is_a_warning(make_settings, tls_site):
    url, ca_file = tls_site
    settings = make_settings(web={"public_url": url}, ops={"ca_file": str(ca_file)})
    result = await check("public URL", settings)
    assert result.status is Status.WARN
    assert re.search(r"expires in (1 day|0 days)$", result.detail), result.detail


async def test_a_host_that_never_answers_fails_within_the_check_timeout(make_settings):
    async def silent(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(3600)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    settings = make_settings(web={"public_url": f"https://127.0.0.1:{port}"},
                             ops={"check_timeout_seconds": 0.5})
    try:
        result = await check("public URL", settings)
    finally:
        server.close()
    assert result.status is Status.FAIL
    assert result.detail == "no answer within 0.5 s"
    assert result.hint.startswith("check web.public_url")


async def test_no_metrics_token_fails(make_settings):
    result = await check("monitoring", make_settings())
    assert result.status is Status.FAIL
    assert "metrics_token is not set" in result.detail


async def test_a_token_with_no_service_running_is_a_warning(make_settings):
    settings = make_settings(monitoring={"metrics_token": "t" * 32},
                             webhooks={"internal_url": f"http://127.0.0.1:{closed_port()}"})
    result = await check("monitoring", settings)
    assert result.status is Status.WARN
    assert "is serve running?" in result.detail


async def test_a_token_the_running_service_does_not_accept_fails(make_settings):
    serving = make_settings(monitoring={"metrics_token": "the-services-token"})
    async with open_core(serving) as core:
        server = TestServer(init_app(core), host="127.0.0.1")
        await server.start_server()
        try:
            settings = make_settings(
                monitoring={"metrics_token": "another-token"},
                webhooks={"internal_url": f"http://127.0.0.1:{server.port}"})
            result = await check("monitoring", settings)
        finally:
            await server.close()
    assert result.status is Status.FAIL
    assert result.detail.endswith("/metrics refused the token")
