"""The Mini App's pages: Telegram's script and frame allowed there, nowhere else."""

import hashlib
import hmac
import json
from urllib.parse import quote, urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from tests.fakes.web_signin import sign_in
from web.app import init_app

TOKEN = "7000001:AAH-test-token-value_123"


def csp(resp):
    return dict(d.strip().split(" ", 1)
                for d in resp.headers["Content-Security-Policy"].split(";"))


def init_data(clock):
    fields = {"user": json.dumps({"id": 4242, "first_name": "Alice"}),
              "auth_date": str(int(clock.now().timestamp()) - 10)}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)


async def _site(make_settings, database_url, clock, **web):
    settings = make_settings(database_url, telegram={"token": TOKEN}, web=web)
    async with (
        open_core(settings, clock=clock) as core,
        TestClient(TestServer(init_app(core), host="127.0.0.1")) as client,
    ):
        yield client, core


@pytest.fixture
async def tg_site(make_settings, database_url, clock):
    async for site in _site(make_settings, database_url, clock):
        yield site


@pytest.fixture
async def tg_https_site(make_settings, database_url, clock):
    """Behind an https proxy (the test client itself speaks http, so it only reads the
    cookie header: it would not send a Secure cookie back)."""
    async for site in _site(make_settings, database_url, clock, public_url="https://tp.example"):
        yield site


async def test_the_mini_app_entry_may_be_framed_by_telegram_and_load_its_script(web):
    resp = await web.get("/app")
    assert resp.status == 200
    policy = csp(resp)
    assert "https://web.telegram.org" in policy["frame-ancestors"]
    assert policy["script-src"] == "'self' https://telegram.org"
    page = await resp.text()
    assert 'src="https://telegram.org/js/telegram-web-app.js"' in page
    assert "/static/miniapp." in page


async def test_ordinary_sessions_keep_frame_ancestors_none(web, core):
    await sign_in(web, core)
    resp = await web.get("/settings")
    assert csp(resp)["frame-ancestors"] == "'none'"
    assert "telegram.org" not in await resp.text()


async def test_a_mini_app_session_gets_telegram_theme_and_back_button_on_every_page(
        tg_site, clock):
    client, _ = tg_site
    signed = await client.post("/auth/webapp", data=init_data(clock))
    assert signed.status == 200
    resp = await client.get("/settings", allow_redirects=False)
    assert resp.status == 200
    assert "https://web.telegram.org" in csp(resp)["frame-ancestors"]
    assert "telegram-web-app.js" in await resp.text()


async def test_the_mini_app_cookie_works_inside_telegrams_frame_but_is_partitioned(
        tg_https_site, clock):
    client, _ = tg_https_site
    resp = await client.post("/auth/webapp", data=init_data(clock))
    header = next(h for h in resp.headers.getall("Set-Cookie") if "tp_session" in h)
    assert header.startswith("__Host-tp_session=")
    for part in ("Secure", "HttpOnly", "SameSite=None", "Partitioned", "Path=/"):
        assert part in header
