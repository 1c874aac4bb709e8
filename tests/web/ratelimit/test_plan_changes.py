"""A new plan's budget applies within seconds: at once when another process says so
with a signed call, and after `tier_cache_seconds` in any case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiohttp.test_utils import unused_port

from core.webhooks.internal import internal_key, notify_plan_changed, notify_url
from core.webhooks.sender import WebhookSender
from tests.fakes.web_signin import sign_in
from tests.web.ratelimit.conftest import set_tier, spend


@pytest.mark.both_backends
async def test_a_plan_change_told_by_another_process_applies_at_once(limited_site, clock):
    port = unused_port()
    async with limited_site(port=port, web={"port": port}) as ([client], core):
        user_id = await sign_in(client, core)
        await spend(client, 10)
        await set_tier(core, user_id, "pro")  # e.g. `thottopilot billing` in a shell
        assert (await client.get("/terms")).status == 429  # the tier read a moment ago
        await notify_plan_changed(core.settings, core.secret_key, clock, user_id)
        assert (await client.get("/terms")).status == 200


async def test_without_a_call_the_new_plan_applies_after_the_cache_time(limited_site, clock):
    async with limited_site(tier_cache_seconds=10) as ([client], core):
        user_id = await sign_in(client, core)
        await spend(client, 10)
        await set_tier(core, user_id, "premium")
        clock.advance(timedelta(seconds=11))
        assert (await client.get("/terms")).status == 200


async def test_a_downgrade_takes_the_smaller_budget(limited_site, clock):
    port = unused_port()
    async with limited_site(port=port, web={"port": port}) as ([client], core):
        user_id = await sign_in(client, core)
        await set_tier(core, user_id, "pro")
        assert await spend(client, 10) == [200] * 10
        await set_tier(core, user_id, "free")  # a refund ended the paid plan
        await notify_plan_changed(core.settings, core.secret_key, clock, user_id)
        assert await spend(client, 11) == [200] * 10 + [429]


async def test_the_internal_url_defaults_to_the_web_listener(make_settings):
    settings = make_settings(web={"host": "127.0.0.1", "port": 8181})
    assert notify_url(settings) == "http://127.0.0.1:8181/internal/notify"


async def test_a_plan_change_signed_with_another_key_changes_nothing(limited_site, clock):
    async with limited_site() as ([client], core):
        user_id = await sign_in(client, core)
        await spend(client, 10)
        await set_tier(core, user_id, "pro")
        forger = WebhookSender(internal_key(b"not-this-installation-key-0123456789"), clock)
        body, headers = forger.signed({"event": "plan_changed", "user_id": user_id})
        refused = await client.post("/internal/notify", data=body, headers=headers)
        assert refused.status == 401
        assert (await client.get("/terms")).status == 429
