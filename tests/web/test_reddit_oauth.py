"""Reddit's authorization-code flow through the web companion, against the fake Reddit.

The browser is played by two aiohttp clients: one talking to our web companion (it keeps
the binding cookie) and one talking to the fake Reddit's authorize page, which "clicks
Allow" and redirects back with `code` and `state`, exactly like Reddit.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from core.posting.budget import ApiBudgetLedger
from core.reddit.models import AccountStatus
from core.reddit.oauth import LINK_TTL, STATE_TTL
from core.texts.site_reddit import PAGES
from core.users import Who
from tests.fakes.web_signin import page_text


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _user_id(core, external_id: str = "alice") -> int:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", external_id, "A"))
        return user.id


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["t"][0]


async def _to_reddit(web, core, user_id: int) -> str:
    """Open the chat's connect link and press Continue; returns Reddit's authorize URL."""
    link = core.reddit.oauth.connect_link(user_id)
    assert (await web.get(_path_and_query(link))).status == 200
    resp = await web.post("/reddit/connect", data={"t": _token(link)}, allow_redirects=False)
    assert resp.status == 302
    return resp.headers["Location"]


async def _reddit_approves(authorize_url: str) -> dict[str, str]:
    """The fake Reddit's consent page redirects back; returns the callback's query."""
    async with aiohttp.ClientSession() as browser:
        resp = await browser.get(authorize_url, allow_redirects=False)
        assert resp.status == 302
        query = parse_qs(urlsplit(resp.headers["Location"]).query)
    return {key: values[0] for key, values in query.items()}


async def _callback(web, query: dict[str, str]) -> aiohttp.ClientResponse:
    return await web.get("/reddit/callback", params=query)


async def test_connect_link_first_shows_whose_chat_the_account_joins(web, core):
    """A forwarded link must not silently attach the reader's Reddit to a stranger."""
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "7", "M", "mallory"))
    page = await web.get(_path_and_query(core.reddit.oauth.connect_link(user.id)),
                         allow_redirects=False)
    assert page.status == 200
    html = await page.text()
    assert "@mallory on Telegram" in html
    assert 'method="post"' in html
    assert "tp_reddit_oauth" not in page.headers.get("Set-Cookie", "")


async def test_authorize_url_asks_for_permanent_access_and_every_scope(web, core):
    url = await _to_reddit(web, core, await _user_id(core))
    query = parse_qs(urlsplit(url).query)
    assert query["duration"] == ["permanent"]
    assert set(query["scope"][0].split()) >= {
        "identity", "submit", "read", "flair", "history", "mysubreddits"}
    assert query["state"][0]


async def test_full_flow_connects_the_account_with_an_encrypted_refresh_token(web, core):
    user_id = await _user_id(core)
    query = await _reddit_approves(await _to_reddit(web, core, user_id))
    resp = await _callback(web, query)
    assert resp.status == 200
    assert "u/alice is now connected" in await resp.text()
    async with core.db.session() as session:
        [account] = await core.reddit.accounts.list(session, user_id)
    assert (account.username, account.status) == ("alice", AccountStatus.ACTIVE)


async def test_replayed_state_is_refused_and_connects_nothing_more(web, core, fake_reddit):
    user_id = await _user_id(core)
    query = await _reddit_approves(await _to_reddit(web, core, user_id))
    assert (await _callback(web, query)).status == 200
    fake_reddit.approving_user = "bob"
    replay = await _callback(web, {**query, "code": "code-stolen"})
    assert replay.status == 400
    assert PAGES["reddit_state_invalid"][0] in await replay.text()
    async with core.db.session() as session:
        accounts = await core.reddit.accounts.list(session, user_id)
    assert [a.username for a in accounts] == ["alice"]


async def test_with_the_reddit_budget_spent_the_callback_asks_for_a_reload_that_connects(
        web, core, clock, fake_reddit):
    user_id = await _user_id(core)
    query = await _reddit_approves(await _to_reddit(web, core, user_id))
    await ApiBudgetLedger.for_core(core).reserve(core.settings.posting.reddit_requests_per_minute)
    busy = await _callback(web, query)
    assert (busy.status, busy.headers["Retry-After"]) == (503, "60")
    assert PAGES["reddit_busy"][1].format(seconds=60) in await page_text(busy)
    assert fake_reddit.requests["me"] == 0
    clock.advance(timedelta(seconds=60))
    assert (await _callback(web, query)).status == 200
    async with core.db.session() as session:
        [account] = await core.reddit.accounts.list(session, user_id)
    assert account.username == "alice"


async def test_expired_state_is_refused(web, core, clock):
    query = await _reddit_approves(await _to_reddit(web, core, await _user_id(core)))
    clock.advance(STATE_TTL + timedelta(seconds=1))
    resp = await _callback(web, query)
    assert resp.status == 400
    assert PAGES["reddit_state_expired"][0] in await resp.text()


async def test_state_issued_to_someone_else_is_refused(web, core):
    """A victim's browser must not finish an attacker's sign-in (login CSRF)."""
    attacker, victim = await _user_id(core, "mallory"), await _user_id(core, "alice")
    query = await _reddit_approves(await _to_reddit(web, core, attacker))
    await _to_reddit(web, core, victim)  # the victim's browser now carries their own cookie
    resp = await _callback(web, query)
    assert resp.status == 400
    assert "someone else" in await resp.text()
    async with core.db.session() as session:
        assert await core.reddit.accounts.list(session, victim) == []
        assert await core.reddit.accounts.list(session, attacker) == []


async def test_callback_without_the_browser_cookie_is_refused(web, core):
    user_id = await _user_id(core)
    query = await _reddit_approves(await _to_reddit(web, core, user_id))
    web.session.cookie_jar.clear()
    resp = await _callback(web, query)
    assert resp.status == 400
    async with core.db.session() as session:
        assert await core.reddit.accounts.list(session, user_id) == []


async def test_user_who_clicks_deny_is_told_nothing_was_connected(web):
    resp = await _callback(web, {"error": "access_denied", "state": "whatever"})
    assert resp.status == 400
    assert "nothing was connected" in await resp.text()


async def test_expired_connect_link_asks_for_a_fresh_one(web, core, clock):
    link = core.reddit.oauth.connect_link(await _user_id(core))
    clock.advance(LINK_TTL + timedelta(seconds=1))
    for resp in (await web.get(_path_and_query(link)),
                 await web.post("/reddit/connect", data={"t": _token(link)})):
        assert resp.status == 400
        assert "/connect" in await resp.text()


async def test_forged_connect_link_is_refused(web, core):
    user_id = await _user_id(core)
    forged = _token(core.reddit.oauth.connect_link(user_id)).replace(
        f"{user_id}.", f"{user_id + 1}.", 1)
    resp = await web.post("/reddit/connect", data={"t": forged}, allow_redirects=False)
    assert resp.status == 400


@pytest.mark.parametrize("junk", ["1.9.\u00e9", "", "a.b", "1.2.3.4", "\u00e9\u00e9"])
async def test_garbage_connect_tokens_get_a_friendly_page_not_an_error(web, junk):
    for resp in (await web.get("/reddit/connect", params={"t": junk}),
                 await web.post("/reddit/connect", data={"t": junk})):
        assert resp.status == 400
        assert "expired" in await resp.text()


async def _state_rows(core, user_id: int) -> int:
    from sqlalchemy import func, select

    from core.reddit.models import OAuthState

    async with core.db.session() as session:
        return await session.scalar(
            select(func.count()).select_from(OAuthState).where(OAuthState.user_id == user_id))


async def test_pressing_continue_fifty_times_keeps_one_state(web, core):
    user_id = await _user_id(core)
    token = _token(core.reddit.oauth.connect_link(user_id))
    urls = set()
    for _ in range(50):
        resp = await web.post("/reddit/connect", data={"t": token}, allow_redirects=False)
        assert resp.status == 302
        urls.add(resp.headers["Location"])
    assert await _state_rows(core, user_id) == 1
    assert len(urls) == 1


async def test_the_reused_state_still_connects(web, core):
    user_id = await _user_id(core)
    for _ in range(3):
        url = await _to_reddit(web, core, user_id)
    assert (await _callback(web, await _reddit_approves(url))).status == 200


async def test_a_link_whose_sign_in_finished_cannot_start_another(web, core):
    user_id = await _user_id(core)
    link = core.reddit.oauth.connect_link(user_id)
    query = await _reddit_approves(await _to_reddit(web, core, user_id))
    assert (await _callback(web, query)).status == 200
    again = await web.post("/reddit/connect", data={"t": _token(link)}, allow_redirects=False)
    assert again.status == 400
    assert "/connect" in await again.text()
    assert await _state_rows(core, user_id) == 1


async def test_a_fresh_link_gets_its_own_state(web, core, clock):
    user_id = await _user_id(core)
    await _to_reddit(web, core, user_id)
    clock.advance(timedelta(seconds=2))  # a new link from a new /connect
    await _to_reddit(web, core, user_id)
    assert await _state_rows(core, user_id) == 2


async def test_the_state_is_refreshed_when_continue_is_pressed_again(web, core, clock):
    user_id = await _user_id(core)
    link = core.reddit.oauth.connect_link(user_id)
    await web.post("/reddit/connect", data={"t": _token(link)}, allow_redirects=False)
    clock.advance(STATE_TTL + timedelta(minutes=1))  # the first sign-in was abandoned
    await web.get(_path_and_query(link))
    resp = await web.post("/reddit/connect", data={"t": _token(link)}, allow_redirects=False)
    query = await _reddit_approves(resp.headers["Location"])
    assert (await _callback(web, query)).status == 200


@pytest.mark.parametrize(("content_type", "body"), [
    ("multipart/form-data; boundary=zzz", b"t=1"),
    ("application/x-www-form-urlencoded; charset=klingon", b"t=1"),
])
async def test_a_malformed_continue_form_gets_the_friendly_page(web, content_type, body):
    resp = await web.post("/reddit/connect", data=body, headers={"Content-Type": content_type})
    assert resp.status == 400
    assert "/connect" in await resp.text()


async def test_a_second_account_past_the_free_plan_is_refused_with_the_upgrade(
        web, core, fake_reddit, clock):
    """The free plan connects one Reddit account; the callback (core's save) refuses a
    second and names the plan that connects more. The state stays used."""
    user_id = await _user_id(core)
    await _callback(web, await _reddit_approves(await _to_reddit(web, core, user_id)))
    fake_reddit.approving_user = "bob"
    clock.advance(timedelta(seconds=1))  # a fresh /connect link
    query = await _reddit_approves(await _to_reddit(web, core, user_id))
    resp = await _callback(web, query)
    page = await resp.text()
    assert resp.status == 400
    assert "Your Free plan connects 1 Reddit account(s)" in page
    assert "u/bob wasn&#39;t added" in page
    assert "Starter connects 2 Reddit accounts: send /upgrade in the chat" in page
    async with core.db.session() as session:
        assert [a.username for a in await core.reddit.accounts.list(session, user_id)] == [
            "alice"]
    assert (await _callback(web, query)).status == 400  # the same state, used up


async def test_signing_in_again_with_the_connected_account_is_not_a_new_one(
        web, core, clock):
    user_id = await _user_id(core)
    for _ in range(2):
        clock.advance(timedelta(seconds=1))  # a fresh /connect link each time
        resp = await _callback(web, await _reddit_approves(await _to_reddit(web, core,
                                                                             user_id)))
        assert resp.status == 200
    async with core.db.session() as session:
        assert len(await core.reddit.accounts.list(session, user_id)) == 1


async def test_continue_pressed_on_another_site_is_refused_and_binds_nothing(web, core):
    """An attacker's page could post the attacker's own link token from the victim's
    browser: the victim would carry a cookie bound to the attacker's chat, and Allow on
    Reddit would put the victim's Reddit account there."""
    attacker = await _user_id(core, "mallory")
    token = _token(core.reddit.oauth.connect_link(attacker))
    resp = await web.post("/reddit/connect", data={"t": token}, allow_redirects=False,
                          headers={"Origin": "https://attacker.example"})
    assert resp.status == 403
    assert PAGES["cross_site"][0] in await resp.text()
    assert "tp_reddit_oauth" not in resp.headers.get("Set-Cookie", "")
    assert [c for c in web.session.cookie_jar if c.key == "tp_reddit_oauth"] == []
    assert await _state_rows(core, attacker) == 0


async def test_continue_pressed_on_our_own_page_still_connects(web, core):
    user_id = await _user_id(core)
    ours = str(web.make_url("/").origin())
    resp = await web.post("/reddit/connect", allow_redirects=False, headers={"Origin": ours},
                          data={"t": _token(core.reddit.oauth.connect_link(user_id))})
    assert resp.status == 302
    query = await _reddit_approves(resp.headers["Location"])
    assert (await _callback(web, query)).status == 200


CEILING = 60  # seconds: a wait that never ends fails the spec instead of hanging it


@pytest.mark.both_backends
async def test_no_transaction_waits_while_reddit_answers_the_callback(web, core, fake_reddit):
    """The code exchange is a network call: while Reddit is slow to answer, another
    writer goes ahead (SQLite has one write lock) and a replay of the same callback is
    refused at once as used (on PostgreSQL the state's row is not held locked), and the
    first callback still connects when Reddit answers."""
    user_id = await _user_id(core)
    query = await _reddit_approves(await _to_reddit(web, core, user_id))
    arrived = fake_reddit.arrived["token"] = asyncio.Event()
    release = fake_reddit.holds["token"] = asyncio.Event()
    first = asyncio.create_task(_callback(web, query))
    try:
        await asyncio.wait_for(arrived.wait(), CEILING)
        await asyncio.wait_for(_user_id(core, "carol"), CEILING)  # someone else's write
        replay = await asyncio.wait_for(_callback(web, query), CEILING)
        assert not first.done(), "the replay waited for the first callback's Reddit call"
        assert replay.status == 400
        assert PAGES["reddit_state_invalid"][0] in await replay.text()
    finally:
        release.set()
    resp = await asyncio.wait_for(first, CEILING)
    assert resp.status == 200
    assert "u/alice is now connected" in await resp.text()
    async with core.db.session() as session:
        assert [a.username for a in await core.reddit.accounts.list(session, user_id)] == [
            "alice"]


@pytest.mark.both_backends
async def test_a_failed_code_exchange_leaves_the_state_spent(web, core, fake_reddit):
    user_id = await _user_id(core)
    query = await _reddit_approves(await _to_reddit(web, core, user_id))
    fake_reddit.token_outage = True
    failed = await _callback(web, query)
    assert failed.status == 400
    assert PAGES["reddit_connect_failed"][0] in await page_text(failed)
    fake_reddit.token_outage = False
    again = await _callback(web, query)
    assert again.status == 400
    assert PAGES["reddit_state_invalid"][0] in await again.text()
    async with core.db.session() as session:
        assert await core.reddit.accounts.list(session, user_id) == []
