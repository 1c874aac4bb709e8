"""What is never counted: health checks, static files, and calls that carry their own
proof (provider webhooks, signed internal calls)."""

from __future__ import annotations

import pytest

from bot.telegram.webhook import WEBHOOK_PATH
from core.webhooks.internal import NOTIFY_PATH
from web.keys import ASSETS_KEY
from web.ratelimit import EXEMPT
from web.ratelimit.budget import storage_uri


@pytest.fixture(params=["memory"])
def storage(request):  # exemptions do not depend on where budgets are kept
    return {}


async def _exhausted(client) -> None:
    """Spend the visitor's one request: anything counted after this is a 429."""
    assert (await client.get("/")).status == 200
    assert (await client.get("/")).status == 429


async def test_health_checks_are_never_counted(limited_site):
    async with limited_site(anonymous_per_minute=1) as ([client], _):
        await _exhausted(client)
        statuses = [(await client.get("/healthz")).status for _ in range(5)]
    assert statuses == [200] * 5


async def test_static_files_manifest_and_service_worker_are_never_counted(limited_site):
    async with limited_site(anonymous_per_minute=1) as ([client], _):
        await _exhausted(client)
        css = client.server.app[ASSETS_KEY].url("app.css")
        for path in (css, css, "/manifest.webmanifest", "/sw.js"):
            assert (await client.get(path)).status == 200, path


async def test_provider_webhooks_and_internal_calls_answer_for_themselves(limited_site):
    async with limited_site(anonymous_per_minute=1) as ([client], _):
        await _exhausted(client)
        stripe = await client.post("/billing/stripe/webhook", data=b"{}")
        internal = await client.post(NOTIFY_PATH, data=b"{}")
    assert stripe.status != 429
    assert internal.status == 401  # unsigned: refused by its own check, not the budget


async def test_a_fake_path_under_static_is_counted(limited_site):
    """Exemption goes by the route that answered, not by what the path looks like."""
    async with limited_site(anonymous_per_minute=1) as ([client], _):
        await _exhausted(client)
        resp = await client.get("/static/../terms")
    assert resp.status in (404, 429)
    assert resp.status != 200


def test_the_telegram_webhook_exemption_names_the_route_the_bot_mounts():
    assert WEBHOOK_PATH in EXEMPT


@pytest.mark.parametrize(("url", "uri"), [
    ("redis://h:6379/2", "async+redis://h:6379/2"),
    ("rediss://h:6380/0", "async+rediss://h:6380/0"),
    ("unix:///run/redis.sock", "async+redis+unix:///run/redis.sock"),
])
def test_redis_urls_are_spelled_the_way_limits_reads_them(url, uri):
    assert storage_uri(url) == uri
