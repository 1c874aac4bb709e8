"""GET /api/stats: the dashboard's JSON, for the signed-in creator only, by plan."""

from __future__ import annotations

from datetime import UTC, datetime

from core.reddit.client import Credentials
from tests.fakes.outcomes import Outcome, record_outcomes
from tests.fakes.web_signin import sign_in


async def _creator_with_history(web, core, tier):
    user_id = await sign_in(web, core)
    async with core.db.session() as session:
        account = await core.reddit.accounts.save(
            session, user_id, "alice", Credentials("refresh", refresh_token="rt"),
            auth_kind="token")
    await record_outcomes(core, user_id, account.id, [
        Outcome("pics", datetime(2026, 11, 20, 20, tzinfo=UTC), 40)])
    async with core.db.session() as session:
        (await core.users.get(session, user_id)).tier = tier


async def test_stats_need_sign_in_and_say_so_as_json(web):
    resp = await web.get("/api/stats")
    assert resp.status == 401
    assert (await resp.json()) == {"error": "sign_in_required"}


async def test_a_pro_creator_gets_every_breakdown(web, core):
    await _creator_with_history(web, core, "pro")
    data = await (await web.get("/api/stats")).json()
    assert (data["posts"], data["analytics"]) == (1, True)
    assert data["by_subreddit"][0]["key"] == "pics"
    assert len(data["by_hour"]) == 24


async def test_a_free_creator_gets_the_headline_only(web, core):
    await _creator_with_history(web, core, "free")
    resp = await web.get("/api/stats")
    data = await resp.json()
    assert resp.headers["Cache-Control"] == "no-store"
    assert (data["posts"], data["analytics"]) == (1, False)
    assert not [k for k in data if k.startswith("by_")]
