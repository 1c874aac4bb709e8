"""Sessions: pages need one, forms need its CSRF token, and signing out ends it for real."""

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from tests.fakes.web_signin import csrf_token, magic_link, page_text, sign_in
from web.app import init_app


@pytest.fixture
async def second_browser(core):
    async with TestClient(TestServer(init_app(core), host="127.0.0.1")) as client:
        yield client


async def test_settings_send_a_visitor_to_sign_in_and_back(web):
    resp = await web.get("/settings", allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"] == "/signin?next=/settings"


async def test_saving_without_a_session_is_refused(web):
    resp = await web.post("/settings/voice", data={"tone": "flirty"}, allow_redirects=False)
    assert resp.status == 401


async def test_a_made_up_cookie_is_not_a_session(web):
    web.session.cookie_jar.update_cookies({"tp_session": "x" * 43})
    resp = await web.get("/settings", allow_redirects=False)
    assert resp.status == 303


async def test_sign_out_ends_the_session_in_the_database_not_just_the_cookie(web, core):
    await sign_in(web, core)
    stolen = web.session.cookie_jar.filter_cookies(web.make_url("/"))["tp_session"].value
    resp = await web.post("/signout", data={"csrf_token": await csrf_token(web)})
    assert resp.status == 200
    assert "signed out" in await resp.text()
    web.session.cookie_jar.update_cookies({"tp_session": stolen})  # a copy kept elsewhere
    assert (await web.get("/settings", allow_redirects=False)).status == 303


async def test_sign_out_needs_the_form_token(web, core):
    await sign_in(web, core)
    resp = await web.post("/signout", data={"csrf_token": "forged"})
    assert resp.status == 403
    assert "form has expired" in await page_text(resp)
    assert (await web.get("/settings", allow_redirects=False)).status == 200


async def test_sign_out_everywhere_ends_every_browsers_session(web, second_browser, core):
    await sign_in(web, core)
    await sign_in(second_browser, core)
    resp = await web.post("/signout/everywhere", data={"csrf_token": await csrf_token(web)})
    assert resp.status == 200
    assert "every device" in await resp.text()
    assert (await second_browser.get("/settings", allow_redirects=False)).status == 303
    assert (await web.get("/settings", allow_redirects=False)).status == 303


async def test_one_sessions_form_token_does_not_work_in_another(web, second_browser, core):
    await sign_in(web, core)
    await sign_in(second_browser, core)
    other = await csrf_token(second_browser)
    resp = await web.post("/settings/voice", data={"csrf_token": other, "tone": "flirty"})
    assert resp.status == 403


async def test_a_cross_site_post_is_refused_even_with_the_token(web, core):
    await sign_in(web, core)
    token = await csrf_token(web)
    resp = await web.post("/settings/voice", data={"csrf_token": token, "tone": "flirty"},
                          headers={"Origin": "https://evil.example"})
    assert resp.status == 403


async def test_on_https_the_cookie_is_secure_and_host_locked(make_settings, database_url, clock):
    settings = make_settings(database_url, web={"public_url": "https://tp.example"})
    async with (
        open_core(settings, clock=clock) as core,
        TestClient(TestServer(init_app(core), host="127.0.0.1")) as client,
    ):
        _, token, _ = await magic_link(core)
        resp = await client.post("/signin", data={"t": token}, allow_redirects=False)
        cookie = resp.cookies["__Host-tp_session"]
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["path"] == "/"
        assert not cookie["domain"]
        assert "Strict-Transport-Security" in resp.headers
