"""Signing out: the page that says so is a signed-out page (no sign-out form, no form
token of the session that just ended)."""

from __future__ import annotations

from tests.fakes.web_signin import csrf_token, page_text, sign_in


async def test_the_signed_out_page_has_no_sign_out_form(web, core):
    await sign_in(web, core)
    resp = await web.post("/signout", data={"csrf_token": await csrf_token(web)})
    page = await page_text(resp)
    assert resp.status == 200
    assert "You're signed out on this device." in page
    assert 'action="/signout"' not in page
    assert 'name="csrf_token"' not in page
    assert 'href="/signin"' in page  # the signed-out menu
