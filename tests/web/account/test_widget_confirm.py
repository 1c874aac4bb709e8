"""The Login Widget's redirect only asks "Continue as ...?": opening its URL signs no one
in. Widget data stays valid for a day until first used, so a URL an attacker made with
their own Telegram account, opened in a victim's browser (a link, an image tag, a
redirect), must not end the victim's session and sign them in as the attacker. Only the
Continue form, posted from our own page, signs in, once.

The widget's fields are signed here by Telegram's documented recipe (HMAC-SHA256 keyed by
SHA256(bot token) over the sorted `key=value` lines), not by the code under test.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import Core, open_core
from tests.fakes.web_signin import page_text, sign_in
from web.app import init_app

TOKEN = "7000001:AAH-test-token-value_123"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
ATTACKER = "9999"


@pytest.fixture
async def site(make_settings, database_url, clock) -> AsyncIterator[tuple[TestClient, Core]]:
    settings = make_settings(database_url, telegram={"token": TOKEN})
    async with (
        open_core(settings, clock=clock) as core,
        TestClient(TestServer(init_app(core), host="127.0.0.1")) as client,
    ):
        yield client, core


def widget_url(clock, telegram_id: str = ATTACKER, username: str = "mallory") -> str:
    fields = {"id": telegram_id, "first_name": "Mal", "username": username,
              "auth_date": str(int((clock.now() - timedelta(seconds=30)).timestamp()))}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hashlib.sha256(TOKEN.encode()).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return "/auth/telegram-login?" + urlencode(fields)


def form_of(page: str) -> dict[str, str]:
    return {html.unescape(k): html.unescape(v) for k, v in HIDDEN.findall(page)}


async def who_is_signed_in(client: TestClient, core: Core) -> int | None:
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/")).get("tp_session")
    async with core.db.read() as session:
        info = await core.auth.sessions.get(session, cookie.value if cookie else None)
    return info.user_id if info else None


async def test_opening_an_attackers_widget_url_keeps_the_victim_signed_in_as_themselves(
        site, clock):
    client, core = site
    victim = await sign_in(client, core)

    resp = await client.get(widget_url(clock), allow_redirects=False)

    assert resp.status == 200
    assert "tp_session" not in resp.cookies
    assert resp.headers["Cache-Control"] == "no-store"
    assert await who_is_signed_in(client, core) == victim
    async with core.db.read() as session:  # nor was the attacker's account touched
        assert await core.users.find(session, "telegram", ATTACKER) is None


async def test_the_redirect_shows_continue_as_the_telegram_name(site, clock):
    client, _ = site
    page = await page_text(await client.get(widget_url(clock), allow_redirects=False))
    assert "Continue as @mallory" in page
    assert 'action="/auth/telegram-login"' in page
    assert form_of(page)["username"] == "mallory"


async def test_continue_signs_in_once(site, clock):
    client, core = site
    page = await (await client.get(widget_url(clock), allow_redirects=False)).text()
    fields = form_of(page)

    resp = await client.post("/auth/telegram-login", data=fields, allow_redirects=False)

    assert resp.status == 303
    assert resp.headers["Location"] == "/settings"
    async with core.db.read() as session:
        attacker = await core.users.find(session, "telegram", ATTACKER)
        assert attacker is not None
        attacker_id = attacker.id
    assert await who_is_signed_in(client, core) == attacker_id
    again = await client.post("/auth/telegram-login", data=fields, allow_redirects=False)
    assert again.status == 401


async def test_opening_the_url_twice_does_not_use_it_up(site, clock):
    client, _ = site
    url = widget_url(clock)
    await client.get(url, allow_redirects=False)
    page = await (await client.get(url, allow_redirects=False)).text()
    resp = await client.post("/auth/telegram-login", data=form_of(page), allow_redirects=False)
    assert resp.status == 303


async def test_a_continue_posted_from_another_site_signs_no_one_in(site, clock):
    client, core = site
    victim = await sign_in(client, core)
    page = await (await client.get(widget_url(clock), allow_redirects=False)).text()

    resp = await client.post("/auth/telegram-login", data=form_of(page),
                             headers={"Origin": "https://evil.example"}, allow_redirects=False)

    assert resp.status in (401, 403)
    assert "tp_session" not in resp.cookies
    assert await who_is_signed_in(client, core) == victim


async def test_a_used_url_opened_again_says_so_without_a_continue_button(site, clock):
    client, _ = site
    url = widget_url(clock)
    page = await (await client.get(url, allow_redirects=False)).text()
    await client.post("/auth/telegram-login", data=form_of(page), allow_redirects=False)

    again = await client.get(url, allow_redirects=False)

    assert again.status == 401
    assert "Continue as" not in await page_text(again)
