"""`/api/me`: the signed-in account as JSON, and a JSON 401 (not a redirect) otherwise."""

import pytest

from core.auth.sessions import TOUCH_EVERY
from tests.bot.telegram.test_round_trips import counting
from tests.fakes.web_signin import last_seen, sign_in


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


@pytest.mark.both_backends
async def test_a_signed_in_call_costs_two_statements_in_one_transaction(web, core):
    """The session row and the account are read together: one pooled connection, the
    session's statement and the account's, nothing else (no roll-forward write when
    none is due). BEGIN, ROLLBACK and SQLite's PRAGMAs are not counted."""
    await sign_in(web, core)
    with counting(core) as seen:
        resp = await web.get("/api/me")
    assert resp.status == 200
    work = [s for s in seen.statements if not s.startswith(("BEGIN", "PRAGMA", "ROLLBACK"))]
    assert len(work) == 2, work
    assert "web_sessions" in work[0]
    assert seen.checkouts == 1


@pytest.mark.both_backends
async def test_sign_out_everywhere_ends_the_very_next_call(web, core):
    user_id = await sign_in(web, core)
    assert (await web.get("/api/me")).status == 200
    async with core.db.session() as session:
        await core.auth.sessions.revoke_all(session, user_id)
    resp = await web.get("/api/me")
    assert resp.status == 401
    assert await resp.json() == {"error": "sign_in_required"}


async def test_a_call_after_the_touch_interval_still_rolls_the_session_forward(
        web, core, clock):
    user_id = await sign_in(web, core)
    clock.advance(TOUCH_EVERY)
    assert (await web.get("/api/me")).status == 200
    assert await last_seen(core, user_id) == clock.now()
