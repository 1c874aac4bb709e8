"""Who may frame a page, per route: nobody by default; Telegram's web clients for the
Mini App's pages (and then no X-Frame-Options: DENY, which would block them)."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import quote, urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from tests.fakes.web_signin import sign_in
from web.app import init_app
from web.middleware import frame_ancestors

TOKEN = "7000001:AAH-test-token-value_123"
TELEGRAM_WEB = ("https://web.telegram.org", "https://webk.telegram.org",
                "https://webz.telegram.org")


def framers(resp) -> str | None:
    return frame_ancestors(resp.headers["Content-Security-Policy"])


def init_data(clock) -> str:
    """Mini App launch data signed as Telegram does (HMAC keyed by "WebAppData")."""
    fields = {"user": json.dumps({"id": 4242, "first_name": "Alice"}),
              "auth_date": str(int(clock.now().timestamp()) - 10)}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)


@pytest.fixture(params=["http://127.0.0.1:8080", "https://tp.example"])
async def site(request, make_settings, database_url, clock):
    settings = make_settings(database_url, telegram={"token": TOKEN},
                             web={"public_url": request.param})
    async with (open_core(settings, clock=clock) as core,
                TestClient(TestServer(init_app(core), host="127.0.0.1")) as client):
        yield client, core


@pytest.mark.parametrize("path", ["/", "/terms", "/signin", "/no-such-page"])
async def test_ordinary_routes_may_not_be_framed_at_all(site, path):
    client, _ = site
    resp = await client.get(path)
    assert framers(resp) == "'none'"
    assert resp.headers["X-Frame-Options"] == "DENY"


async def test_the_mini_app_entry_may_be_framed_by_telegrams_web_clients(site):
    client, _ = site
    resp = await client.get("/app")
    allowed = (framers(resp) or "").split()
    assert all(origin in allowed for origin in TELEGRAM_WEB)
    assert "*" not in allowed
    assert "X-Frame-Options" not in resp.headers


# Over https the Mini App's cookie is Secure, which the plain-http test client keeps.
@pytest.mark.parametrize("site", ["http://127.0.0.1:8080"], indirect=True)
async def test_pages_of_a_mini_app_session_may_be_framed_by_telegram(site, clock):
    client, _ = site
    assert (await client.post("/auth/webapp", data=init_data(clock))).status == 200
    resp = await client.get("/settings", allow_redirects=False)
    assert resp.status == 200
    assert "https://web.telegram.org" in (framers(resp) or "")
    assert "X-Frame-Options" not in resp.headers


async def test_pages_of_an_ordinary_session_may_not(site):
    client, core = site
    await sign_in(client, core)
    resp = await client.get("/settings")
    assert framers(resp) == "'none'"
    assert resp.headers["X-Frame-Options"] == "DENY"


async def test_hsts_only_when_the_site_is_served_over_https(site):
    client, core = site
    resp = await client.get("/app")
    https = core.settings.web.public_url.startswith("https://")
    assert ("Strict-Transport-Security" in resp.headers) is https


@pytest.mark.parametrize("path", ["/", "/app"])
async def test_every_route_keeps_the_other_protections(site, path):
    client, _ = site
    headers = (await client.get(path)).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    policy: dict[str, str] = {}
    for directive in headers["Content-Security-Policy"].split(";"):
        name, _, value = directive.strip().partition(" ")
        policy[name] = value
    scripts = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in scripts
    assert policy["object-src"] == "'none'"


def test_a_policy_without_frame_ancestors_has_none():
    assert frame_ancestors("default-src 'self'") is None
    assert frame_ancestors("default-src 'self'; FRAME-ANCESTORS 'none'") == "'none'"
