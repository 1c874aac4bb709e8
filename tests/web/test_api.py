"""`/api/me`: the signed-in account as JSON, and a JSON 401 (not a redirect) otherwise."""

from tests.fakes.web_signin import sign_in


async def test_a_signed_in_script_learns_who_it_acts_for(web, core):
    user_id = await sign_in(web, core)
    resp = await web.get("/api/me")
    assert resp.status == 200
    assert resp.headers["Cache-Control"] == "no-store"
    body = await resp.json()
    assert body["id"] == user_id
    assert body["tier"] == "free"
    assert body["identities"] == [{"transport": "telegram", "handle": "@alice"}]


async def test_without_a_session_the_answer_is_a_json_401(web):
    resp = await web.get("/api/me", allow_redirects=False)
    assert resp.status == 401
    assert await resp.json() == {"error": "sign_in_required"}


async def test_a_made_up_cookie_is_not_a_session(web):
    web.session.cookie_jar.update_cookies({"tp_session": "not-a-real-session"})
    resp = await web.get("/api/me")
    assert resp.status == 401
