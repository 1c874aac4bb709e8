"""Your data on the web: the JSON download (signed in, an attachment never cached) and
deleting the account (CSRF token and the typed confirmation; signed out everywhere,
Reddit's token revoked)."""

from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from core.privacy.deletion import AccountDeletions
from core.privacy.export import COVERED
from core.reddit.client import Credentials
from core.texts import privacy as texts
from core.users import Who
from tests.fakes.web_signin import csrf_token, page_text, sign_in
from tests.web.test_telegram_signin import TOKEN, init_data, widget_fields
from web.app import init_app


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def test_the_page_needs_sign_in(web):
    resp = await web.get("/account/data", allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"].startswith("/signin")


async def test_the_download_needs_sign_in(web):
    resp = await web.get("/account/data/export", allow_redirects=False)
    assert resp.status == 303


async def test_the_settings_page_leads_to_your_data(web, core):
    await sign_in(web, core)
    assert 'href="/account/data"' in await (await web.get("/settings")).text()


@pytest.mark.both_backends
async def test_download_is_an_uncached_json_attachment_of_every_table(web, core):
    user_id = await sign_in(web, core)
    resp = await web.get("/account/data/export")
    assert resp.status == 200
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["Content-Disposition"] == (
        'attachment; filename="thottopilot-data-2026-11-25.json"')
    assert resp.content_type == "application/json"
    data = json.loads(await resp.read())
    assert data["user_id"] == user_id
    assert set(data["tables"]) == set(COVERED)
    assert len(data["tables"]["web_sessions"]) == 1
    assert "id_hash" not in data["tables"]["web_sessions"][0]


async def test_delete_without_the_form_token_is_refused(web, core):
    user_id = await sign_in(web, core)
    resp = await web.post("/account/delete", data={"confirm": "DELETE"})
    assert resp.status == 403
    async with core.db.read() as session:
        assert await core.users.get(session, user_id) is not None


async def test_delete_without_typing_the_word_deletes_nothing(web, core):
    user_id = await sign_in(web, core)
    token = await csrf_token(web, "/account/data")
    resp = await web.post("/account/delete", data={"csrf_token": token, "confirm": "yes"})
    assert resp.status == 400
    assert texts.PAGE_NOT_CONFIRMED in await page_text(resp)
    async with core.db.read() as session:
        assert await core.users.get(session, user_id) is not None


@pytest.mark.both_backends
async def test_delete_signs_out_revokes_reddit_and_names_the_date(web, core, fake_reddit):
    user_id = await sign_in(web, core)
    refresh = fake_reddit.issue_refresh_token("alice")
    async with core.db.session() as session:
        await core.reddit.accounts.save(session, user_id, "alice",
                                        Credentials(kind="refresh", refresh_token=refresh),
                                        auth_kind="token")
    token = await csrf_token(web, "/account/data")
    resp = await web.post("/account/delete", data={"csrf_token": token, "confirm": "delete"})
    assert resp.status == 200
    assert resp.headers["Cache-Control"] == "no-store"
    assert "erased on 25 December 2026" in await page_text(resp)
    assert fake_reddit.revoked == [(refresh, "refresh_token")]
    async with core.db.read() as session:
        assert await core.users.get(session, user_id) is None
    after = await web.get("/account/data", allow_redirects=False)
    assert after.status == 303  # this browser is signed out


@pytest.fixture
async def pending_on_telegram(make_settings, database_url, clock):
    """A web client, and Alice's Telegram account already pending deletion."""
    settings = make_settings(database_url, telegram={"token": TOKEN})
    async with (open_core(settings, clock=clock) as core,
                TestClient(TestServer(init_app(core), host="127.0.0.1")) as client):
        async with core.db.session() as session:
            user, _ = await core.users.get_or_create(session, Who("telegram", "4242"))
            await AccountDeletions(core).request(session, user, "telegram")
        yield client


async def test_signing_in_with_telegram_to_an_account_pending_deletion_names_restore(
        pending_on_telegram, clock):
    resp = await pending_on_telegram.post(
        "/auth/telegram-login", data=widget_fields(clock), allow_redirects=False)
    page = await page_text(resp)
    assert resp.status == 403
    assert texts.PENDING_HEADING in page
    assert "Send /restore to keep it" in page
    assert "tp_session" not in resp.cookies


async def test_the_mini_app_of_an_account_pending_deletion_names_restore(
        pending_on_telegram, clock):
    resp = await pending_on_telegram.post("/auth/webapp", data=init_data(clock))
    assert resp.status == 403
    assert await resp.json() == {
        "error": "account_pending_deletion",
        "message": texts.ERRORS["account_pending_deletion"].format(date="25 December 2026")}
    assert "tp_session" not in resp.cookies
