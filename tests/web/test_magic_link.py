"""Signing in with a magic link from the chat: single use, minutes long, never cached."""

from datetime import timedelta

import pytest

from core.auth.sessions import SessionService
from tests.fakes.web_signin import magic_link, page_text, sign_in


async def test_opening_the_link_asks_before_signing_in_and_does_not_use_it_up(web, core):
    _, token, url = await magic_link(core)
    for _ in range(2):  # a chat app's link preview opens it too
        resp = await web.get(url.removeprefix(core.settings.public_base_url))
        assert resp.status == 200
        assert "Continue as @alice on Telegram" in await page_text(resp)
        assert resp.headers["Cache-Control"] == "no-store"
    resp = await web.post("/signin", data={"t": token}, allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"] == "/settings"


async def test_the_token_also_works_as_a_path(web, core):
    _, token, _ = await magic_link(core)
    resp = await web.get(f"/signin/{token}")
    assert resp.status == 200
    assert f'name="t" value="{token}"' in await page_text(resp)


async def test_continue_sets_a_http_only_same_site_session_cookie(web, core):
    _, token, _ = await magic_link(core)
    resp = await web.post("/signin", data={"t": token}, allow_redirects=False)
    cookie = resp.cookies["tp_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["secure"]  # plain http in tests; see the https spec below
    assert resp.headers["Cache-Control"] == "no-store"
    assert (await web.get("/settings", allow_redirects=False)).status == 200


async def test_the_cookie_holds_only_an_opaque_id_the_database_knows_by_hash(web, core):
    _, token, _ = await magic_link(core)
    resp = await web.post("/signin", data={"t": token}, allow_redirects=False)
    value = resp.cookies["tp_session"].value
    assert len(value) == 43
    assert "4242" not in value
    async with core.db.read() as session:
        info = await SessionService(core.clock, timedelta(days=1), timedelta(days=2)).get(
            session, value)
    assert info is not None
    assert info.via == "magic_link"


async def test_a_used_link_gets_a_friendly_page(web, core):
    _, token, _ = await magic_link(core)
    await web.post("/signin", data={"t": token}, allow_redirects=False)
    again = await web.post("/signin", data={"t": token}, allow_redirects=False)
    assert again.status == 410
    assert "already used" in await page_text(again)
    assert again.headers["Cache-Control"] == "no-store"
    opened = await web.get(f"/signin?t={token}")
    assert opened.status == 410
    assert "already used" in await page_text(opened)


async def test_an_expired_link_gets_a_friendly_page(web, core, clock):
    _, token, _ = await magic_link(core)
    clock.advance(timedelta(minutes=core.settings.auth.magic_link_minutes, seconds=1))
    opened = await web.get(f"/signin?t={token}")
    assert opened.status == 410
    assert "expired" in await page_text(opened)
    pressed = await web.post("/signin", data={"t": token}, allow_redirects=False)
    assert pressed.status == 410
    assert "tp_session" not in pressed.cookies


async def test_a_forged_link_is_refused(web, core):
    _, token, _ = await magic_link(core)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    resp = await web.get(f"/signin?t={forged}")
    assert resp.status == 400
    assert "doesn't work" in await page_text(resp)


async def test_continue_from_another_site_is_refused(web, core):
    _, token, _ = await magic_link(core)
    resp = await web.post("/signin", data={"t": token}, allow_redirects=False,
                          headers={"Origin": "https://evil.example"})
    assert resp.status == 403
    fine = await web.post("/signin", data={"t": token}, allow_redirects=False)
    assert fine.status == 303  # the refused attempt did not use the link up


async def test_after_sign_in_it_goes_back_only_to_a_local_page(web, core):
    _, token, _ = await magic_link(core)
    resp = await web.post("/signin", data={"t": token, "next": "//evil.example/x"},
                          allow_redirects=False)
    assert resp.headers["Location"] == "/settings"
    _, token, _ = await magic_link(core)
    resp = await web.post("/signin", data={"t": token, "next": "/help"}, allow_redirects=False)
    assert resp.headers["Location"] == "/help"


@pytest.mark.parametrize("elsewhere", ["/\t/evil.example/x", "/\r\n/evil.example/x",
                                       "/\\evil.example/x", "/x\\..\\\\evil.example"])
async def test_a_next_page_that_a_browser_reads_as_another_site_goes_to_settings(
        web, core, elsewhere):
    _, token, _ = await magic_link(core)
    resp = await web.post("/signin", data={"t": token, "next": elsewhere},
                          allow_redirects=False)
    assert resp.headers["Location"] == "/settings"


async def test_signed_in_the_sign_in_page_never_sends_a_browser_to_another_site(web, core):
    await sign_in(web, core)
    resp = await web.get("/signin?next=/%09/evil.example/x", allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"] == "/settings"


async def test_signing_in_again_replaces_this_browsers_old_session(web, core):
    await sign_in(web, core)
    old = web.session.cookie_jar.filter_cookies(web.make_url("/"))["tp_session"].value
    await sign_in(web, core)
    async with core.db.read() as session:
        info = await SessionService(core.clock, timedelta(days=1), timedelta(days=2)).get(
            session, old)
    assert info is None


async def test_without_a_link_the_page_says_how_to_get_one(web):
    resp = await web.get("/signin")
    assert resp.status == 200
    assert "/web" in await page_text(resp)
