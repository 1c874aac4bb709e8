"""Request budgets per tier, counted per signed-in user, and per IP only when anonymous."""

from __future__ import annotations

import json

import pytest

from core.users import Who
from tests.fakes.web_signin import page_text, sign_in
from tests.web.ratelimit.conftest import set_tier, spend

BOB = Who("telegram", "5151", display_name="Bob", username="bob")
PROXY = {"trusted_proxies": ["127.0.0.1"]}


def from_ip(address: str) -> dict[str, str]:
    """Headers of a request our (trusted) proxy forwarded from `address`."""
    return {"X-Forwarded-For": address}


async def test_a_free_user_is_refused_on_the_eleventh_request_in_a_minute(limited_site):
    async with limited_site() as ([client], core):
        await sign_in(client, core)
        assert await spend(client, 10) == [200] * 10
        resp = await client.get("/terms")
    assert resp.status == 429


async def test_the_refusal_says_when_to_come_back(limited_site):
    async with limited_site() as ([client], core):
        await sign_in(client, core)
        await spend(client, 10)
        resp = await client.get("/terms")
        text = await page_text(resp)
    assert resp.headers["Retry-After"].isdigit()
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    assert f"try again in {resp.headers['Retry-After']} seconds" in text
    assert "The Starter plan allows 50 a minute: send /upgrade" in text
    assert resp.headers["Content-Type"].startswith("text/html")


async def test_a_tiers_budget_is_configurable_and_premium_is_offered_no_upgrade(
        limited_site):
    tiers = {"tiers": {"premium": {"requests_per_minute": 3}}}
    async with limited_site(billing=tiers) as ([client], core):
        user_id = await sign_in(client, core)
        await set_tier(core, user_id, "premium")
        assert await spend(client, 3) == [200] * 3
        resp = await client.get("/terms", headers={"Accept": "application/json"})
        body = await resp.json()
    assert resp.status == 429
    assert "/upgrade" not in body["message"]


async def test_a_pro_user_is_not_refused_on_the_eleventh(limited_site):
    async with limited_site() as ([client], core):
        user_id = await sign_in(client, core)
        await set_tier(core, user_id, "pro")
        assert await spend(client, 11) == [200] * 11


async def test_budgets_follow_the_tier_definitions_in_billing_settings(limited_site):
    async with limited_site() as ([client], core):
        user_id = await sign_in(client, core)
        await set_tier(core, user_id, "starter")
        per_minute = core.billing.plans.get("starter").requests_per_minute
        statuses = await spend(client, per_minute + 1)
    assert per_minute == 50
    assert statuses == [200] * per_minute + [429]


async def test_two_users_on_one_ip_have_a_budget_each(limited_site):
    async with limited_site(instances=2) as ([alice, bob], core):
        await sign_in(alice, core)
        await sign_in(bob, core, BOB)
        await spend(alice, 10)
        assert (await alice.get("/terms")).status == 429
        assert (await bob.get("/terms")).status == 200


async def test_a_users_budget_follows_them_to_another_ip(limited_site):
    async with limited_site(**PROXY) as ([client], core):
        await sign_in(client, core)
        await spend(client, 10, headers=from_ip("198.51.100.1"))
        resp = await client.get("/terms", headers=from_ip("198.51.100.2"))
    assert resp.status == 429


async def test_anonymous_visitors_are_counted_per_ip(limited_site):
    async with limited_site(anonymous_per_minute=3, **PROXY) as ([client], _):
        assert await spend(client, 4, "/", headers=from_ip("203.0.113.7")) == [200] * 3 + [429]
        assert await spend(client, 1, "/", headers=from_ip("203.0.113.8")) == [200]


async def test_signing_in_moves_a_visitor_from_the_ip_budget_to_their_own(limited_site):
    async with limited_site(anonymous_per_minute=2) as ([client], core):
        await sign_in(client, core)  # one anonymous request: POST /signin
        await spend(client, 1, "/")
        assert (await client.get("/terms")).status == 200


async def test_a_json_client_gets_json(limited_site):
    async with limited_site(anonymous_per_minute=1) as ([client], _):
        await spend(client, 1, "/")
        resp = await client.get("/", headers={"Accept": "application/json"})
        body = json.loads(await resp.text())
    assert resp.status == 429
    assert body["error"] == "rate_limited"
    assert body["retry_after"] == int(resp.headers["Retry-After"])
    assert "try again" in body["message"]


async def test_two_app_instances_draw_on_one_budget_through_redis(limited_site, storage):
    async with limited_site(instances=2, anonymous_per_minute=3) as ([one, two], _):
        assert await spend(one, 3, "/") == [200] * 3
        resp = await two.get("/")
    assert resp.status == (429 if storage else 200)  # memory: each process its own


@pytest.mark.parametrize("storage", ["redis"], indirect=True)
async def test_a_signed_in_user_shares_one_budget_across_instances(limited_site):
    async with limited_site(instances=2) as ([one, two], core):
        await sign_in(one, core)
        two.session.cookie_jar.update_cookies(
            {c.key: c.value for c in one.session.cookie_jar})
        await spend(one, 5)
        assert await spend(two, 6) == [200] * 5 + [429]
