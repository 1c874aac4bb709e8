"""Signing in with Telegram: the Login Widget and Mini App initData, forged or stale refused.

The signed data is computed here from Telegram's documented recipes (not by the code
under test): the widget's hash is HMAC-SHA256 keyed by SHA256(bot token), initData's is
HMAC-SHA256 keyed by HMAC("WebAppData", bot token), over the sorted `key=value` lines.
"""

import hashlib
import hmac
import json
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from web.app import init_app

TOKEN = "7000001:AAH-test-token-value_123"


@pytest.fixture
async def tg_web(make_settings, database_url, clock):
    settings = make_settings(database_url, telegram={"token": TOKEN})
    async with (
        open_core(settings, clock=clock) as core,
        TestClient(TestServer(init_app(core), host="127.0.0.1")) as client,
    ):
        yield client, core


def check_string(fields):
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields))


def widget_fields(clock, token=TOKEN, age=timedelta(seconds=30), **extra):
    fields = {"id": "4242", "first_name": "Alice", "username": "alice",
              "auth_date": str(int((clock.now() - age).timestamp())), **extra}
    secret = hashlib.sha256(token.encode()).digest()
    fields["hash"] = hmac.new(secret, check_string(fields).encode(), hashlib.sha256).hexdigest()
    return fields


def init_data(clock, token=TOKEN, age=timedelta(seconds=30)):
    fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
              "user": json.dumps({"id": 4242, "first_name": "Alice", "username": "alice"}),
              "auth_date": str(int((clock.now() - age).timestamp()))}
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check_string(fields).encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)


async def test_login_widget_redirect_asks_and_continue_signs_in_as_the_bots_user(tg_web, clock):
    client, core = tg_web
    fields = widget_fields(clock)
    page = await client.get("/auth/telegram-login?" + urlencode(fields), allow_redirects=False)
    assert page.status == 200  # "Continue as @alice": opening the URL signs no one in
    assert "tp_session" not in page.cookies
    assert "Continue as @alice" in await page.text()

    resp = await client.post("/auth/telegram-login", data=fields, allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"] == "/settings"
    assert resp.headers["Cache-Control"] == "no-store"
    assert "tp_session" in resp.cookies
    async with core.db.read() as session:
        bots_user = await core.users.find(session, "telegram", "4242")
    assert bots_user is not None  # the same account the Telegram bot knows
    assert (await client.get("/settings", allow_redirects=False)).status == 200


async def test_login_widget_fields_may_be_posted(tg_web, clock):
    client, _ = tg_web
    resp = await client.post("/auth/telegram-login", data=widget_fields(clock),
                             allow_redirects=False)
    assert resp.status == 303
    assert "tp_session" in resp.cookies


async def test_widget_data_opened_again_from_the_history_signs_no_one_in(tg_web, clock):
    client, _ = tg_web
    fields = widget_fields(clock)
    url = "/auth/telegram-login?" + urlencode(fields)
    assert (await client.post("/auth/telegram-login", data=fields,
                              allow_redirects=False)).status == 303
    client.session.cookie_jar.clear()  # signed out; the next person at this computer
    clock.advance(timedelta(hours=1))

    again = await client.get(url, allow_redirects=False)

    assert again.status == 401
    assert "tp_session" not in again.cookies
    assert (await client.get("/settings", allow_redirects=False)).status == 303


async def test_a_forged_widget_hash_is_refused(tg_web, clock):
    client, _ = tg_web
    forged = widget_fields(clock, token="7000001:someone-elses-bot")
    resp = await client.get("/auth/telegram-login?" + urlencode(forged), allow_redirects=False)
    assert resp.status == 401
    assert "tp_session" not in resp.cookies
    assert "couldn't confirm it was you" in (await resp.text()).replace("&#39;", "'")


async def test_altered_widget_data_is_refused(tg_web, clock):
    client, _ = tg_web
    fields = widget_fields(clock)
    fields["id"] = "1"  # someone else's account, same hash
    resp = await client.get("/auth/telegram-login?" + urlencode(fields), allow_redirects=False)
    assert resp.status == 401


async def test_stale_widget_data_is_refused(tg_web, clock):
    client, core = tg_web
    old = widget_fields(clock, age=timedelta(seconds=core.settings.auth.telegram_login_max_age
                                             + 60))
    resp = await client.get("/auth/telegram-login?" + urlencode(old), allow_redirects=False)
    assert resp.status == 401
    assert "too old" in await resp.text()


async def test_widget_sign_in_without_a_bot_token_says_it_is_not_set_up(web, clock):
    resp = await web.get("/auth/telegram-login?" + urlencode(widget_fields(clock)),
                         allow_redirects=False)
    assert resp.status == 401
    assert "set up" in (await resp.text()).replace("&#39;", "'")


async def test_mini_app_init_data_signs_in(tg_web, clock):
    client, _ = tg_web
    resp = await client.post("/auth/webapp", data=init_data(clock))
    assert resp.status == 200
    assert await resp.json() == {"ok": True, "next": "/settings"}
    assert resp.cookies["tp_session"]["httponly"] is True
    assert (await client.get("/settings", allow_redirects=False)).status == 200


async def test_forged_init_data_is_refused(tg_web, clock):
    client, _ = tg_web
    resp = await client.post("/auth/webapp", data=init_data(clock, token="1:other"))
    assert resp.status == 401
    assert await resp.json() == {"error": "bad_hash"}
    assert "tp_session" not in resp.cookies


async def test_stale_init_data_is_refused(tg_web, clock):
    client, app_core = tg_web
    age = timedelta(seconds=app_core.settings.auth.telegram_init_data_max_age + 60)
    resp = await client.post("/auth/webapp", data=init_data(clock, age=age))
    assert resp.status == 401
    assert await resp.json() == {"error": "stale"}


async def test_garbage_init_data_is_a_clean_refusal(tg_web):
    client, _ = tg_web
    resp = await client.post("/auth/webapp", data=b"\xff\xfe not a query")
    assert resp.status == 401
    assert await resp.json() == {"error": "malformed"}
