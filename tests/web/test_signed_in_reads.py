"""Signed-in pages read in ONE transaction: the session check and the page's own reads
together (`web.current.signed_in_reading`), like `/api/me` (tests/web/test_api.py).

Each row is a page, the transactions it may open (pooled connections checked out: one,
plus one for each core service that keeps its own unit, e.g. the posting service's job
list) and a ceiling on its statements; the session's row is always the first read. BEGIN,
ROLLBACK and SQLite's PRAGMAs are not counted. No roll-forward write is due here.
"""

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.auth.sessions import TOUCH_EVERY
from core.bootstrap import open_core
from core.users import Who
from tests.bot.telegram.test_round_trips import counting
from tests.fakes.web_signin import last_seen, sign_in
from web.app import init_app

PAGES = [
    # path, transactions, most statements
    ("/settings", 1, 8),
    ("/usage", 1, 10),
    ("/account/link", 1, 3),
    ("/account/data", 1, 2),
    ("/history/captions?before=1000", 1, 3),
    ("/history", 2, 4),  # + PostingService.list_jobs, its own unit
    ("/queue", 2, 3),  # + PostingService.list_jobs, its own unit
    ("/api/stats", 2, 4),  # + core.outcomes.stats.creator_stats, its own unit
]


async def _cost(web, core, path: str) -> tuple[list[str], int]:
    with counting(core) as seen:
        resp = await web.get(path, allow_redirects=False)
    assert resp.status == 200, (path, resp.status, await resp.text())
    work = [s for s in seen.statements if not s.startswith(("BEGIN", "PRAGMA", "ROLLBACK"))]
    return work, seen.checkouts


@pytest.mark.both_backends
@pytest.mark.parametrize(("path", "transactions", "most"), PAGES)
async def test_a_signed_in_page_reads_with_its_session_check(
        web, core, path, transactions, most):
    await sign_in(web, core)
    work, checkouts = await _cost(web, core, path)
    assert "web_sessions.id_hash" in work[0], work
    assert sum("web_sessions.id_hash" in s for s in work) == 1, work
    assert checkouts == transactions, work
    assert len(work) <= most, work


@pytest.mark.both_backends
async def test_an_admin_page_checks_session_and_admin_in_the_read_it_shows(
        make_settings, database_url, clock):
    settings = make_settings(database_url, admin={"telegram_ids": [7]})
    async with (open_core(settings, clock=clock) as core,
                TestClient(TestServer(init_app(core), host="127.0.0.1")) as client):
        await sign_in(client, core, Who("telegram", "7", display_name="Ada"))
        work, checkouts = await _cost(client, core, "/admin/experiments")
    assert "web_sessions.id_hash" in work[0], work
    assert checkouts == 1, work


@pytest.mark.both_backends
async def test_sign_out_everywhere_ends_the_very_next_page_view(web, core):
    user_id = await sign_in(web, core)
    assert (await web.get("/usage", allow_redirects=False)).status == 200
    async with core.db.session() as session:
        await core.auth.sessions.revoke_all(session, user_id)
    resp = await web.get("/usage", allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"] == "/signin?next=/usage"


async def test_a_page_that_answers_by_raising_still_rolls_the_session_forward(
        make_settings, database_url, clock):
    """A signed-in non-admin's 404 from the admin gate is raised inside the read unit;
    the due roll-forward is written all the same."""
    settings = make_settings(database_url, admin={"telegram_ids": [7]})
    async with (open_core(settings, clock=clock) as core,
                TestClient(TestServer(init_app(core), host="127.0.0.1")) as client):
        user_id = await sign_in(client, core, Who("telegram", "8", display_name="Bea"))
        clock.advance(TOUCH_EVERY)
        assert (await client.get("/admin/experiments")).status == 404
    assert await last_seen(core, user_id) == clock.now()


async def test_a_signed_out_page_view_still_goes_to_sign_in(web):
    resp = await web.get("/usage", allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"] == "/signin?next=/usage"
