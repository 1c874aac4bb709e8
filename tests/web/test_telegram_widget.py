"""The Telegram Login Widget on the sign-in page: shown only for a configured bot, let
through the Content-Security-Policy on that page only, and its callback signing in.

The widget's fields are signed here by Telegram's documented recipe (HMAC-SHA256 keyed
by SHA256(bot token) over the sorted `key=value` lines), not by the code under test.
"""

import hashlib
import hmac
import html
import re
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from web.app import init_app

TOKEN = "7000001:AAH-test-token-value_123"
WIDGET = re.compile(r'<script async src="https://telegram\.org/js/telegram-widget\.js\?\d+" '
                    r'data-telegram-login="([^"]+)"[^>]*data-auth-url="([^"]+)"')


@pytest.fixture
async def widget_site(make_settings, database_url, clock):
    settings = make_settings(database_url, telegram={"token": TOKEN,
                                                     "bot_username": "ThottoPilotBot"})
    async with (
        open_core(settings, clock=clock) as core,
        TestClient(TestServer(init_app(core), host="127.0.0.1")) as client,
    ):
        yield client


def signed(fields, token=TOKEN):
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hashlib.sha256(token.encode()).digest()
    return {**fields, "hash": hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()}


def directives(resp):
    policy = resp.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


async def test_the_sign_in_page_shows_the_widget_for_the_configured_bot(widget_site):
    page = await widget_site.get("/signin")
    found = WIDGET.search(await page.text())
    assert found is not None
    assert found.group(1) == "ThottoPilotBot"
    assert html.unescape(found.group(2)).endswith("/auth/telegram-login")


async def test_the_sign_in_page_lets_telegram_script_and_frame_and_nothing_else(widget_site):
    policy = directives(await widget_site.get("/signin"))
    assert policy["script-src"] == ["'self'", "https://telegram.org", "https://oauth.telegram.org"]
    assert policy["frame-src"] == ["https://telegram.org", "https://oauth.telegram.org"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


async def test_the_widgets_popup_may_report_back_to_the_sign_in_page(widget_site):
    page = await widget_site.get("/signin")
    assert page.headers["Cross-Origin-Opener-Policy"] == "same-origin-allow-popups"
    assert (await widget_site.get("/help")).headers["Cross-Origin-Opener-Policy"] == (
        "same-origin")


async def test_other_pages_keep_telegram_out(widget_site):
    for path in ("/", "/help"):
        policy = (await widget_site.get(path)).headers["Content-Security-Policy"]
        assert "telegram.org" not in policy, path


async def test_without_a_bot_username_there_is_no_widget_and_no_exception(web):
    page = await web.get("/signin")
    assert "telegram-widget.js" not in await page.text()
    assert "telegram.org" not in page.headers["Content-Security-Policy"]


async def test_the_widgets_callback_signs_in_end_to_end(widget_site, clock):
    found = WIDGET.search(await (await widget_site.get("/signin")).text())
    assert found is not None
    callback = urlsplit(html.unescape(found.group(2))).path
    fields = signed({"id": "777", "first_name": "Bea", "username": "bea",
                     "photo_url": "https://t.me/i/userpic/320/bea.jpg",
                     "auth_date": str(int((clock.now() - timedelta(seconds=5)).timestamp()))})
    page = await widget_site.get(f"{callback}?{urlencode(fields)}", allow_redirects=False)
    assert page.status == 200  # "Continue as @bea": the redirect alone signs no one in
    assert f'action="{callback}"' in await page.text()
    resp = await widget_site.post(callback, data=fields, allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"] == "/settings"
    settings_page = await widget_site.get("/settings", allow_redirects=False)
    assert settings_page.status == 200


async def test_a_widget_callback_with_a_tampered_field_signs_nobody_in(widget_site, clock):
    fields = signed({"id": "777", "first_name": "Bea",
                     "auth_date": str(int(clock.now().timestamp()))})
    fields["first_name"] = "Mallory"
    resp = await widget_site.get(f"/auth/telegram-login?{urlencode(fields)}",
                                 allow_redirects=False)
    assert resp.status == 401
    assert "tp_session" not in resp.cookies
    assert (await widget_site.get("/settings", allow_redirects=False)).status == 303
