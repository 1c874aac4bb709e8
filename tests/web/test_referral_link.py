"""The web invite link `/r/<code>`: a short-lived signed cookie, then sign-in; the
account made by that sign-in is attributed to the link's owner, once. An account that
existed before, a forged cookie or a broken link attributes nothing and stops no one."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from core.bootstrap import Core, open_core
from core.referrals.models import Referral
from core.referrals.service import Referrals
from core.settings import Settings
from core.users import Who
from tests.fakes.clock import FakeClock
from tests.fakes.web_signin import page_text
from web.app import init_app

TOKEN = "7000001:AAH-test-token-value_123"


@pytest.fixture
async def site(make_settings: Callable[..., Settings], database_url: str, clock: FakeClock
               ) -> AsyncIterator[tuple[TestClient, Core]]:
    settings = make_settings(database_url, telegram={"token": TOKEN})
    async with (
        open_core(settings, clock=clock) as core,
        TestClient(TestServer(init_app(core), host="127.0.0.1")) as client,
    ):
        yield client, core


def widget_login(clock: FakeClock, telegram_id: str) -> dict[str, str]:
    """The Telegram Login Widget's fields for `telegram_id`, signed with our token (its
    redirect asks "Continue as ..."; the Continue POST of these fields signs in)."""
    fields = {"id": telegram_id, "first_name": "Bea", "auth_date": str(int(
        clock.now().timestamp()))}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hashlib.sha256(TOKEN.encode()).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return fields


async def alices_code(core: Core) -> tuple[int, str]:
    async with core.db.session() as session:
        alice, _ = await core.users.get_or_create(session, Who("telegram", "1001"))
        return alice.id, await Referrals.from_core(core).code_for(session, alice)


async def referrals(core: Core) -> list[tuple[int, int, str]]:
    async with core.db.read() as session:
        rows = await session.scalars(select(Referral))
        return [(r.referrer_id, r.referred_id, r.via) for r in rows]


async def test_the_link_sets_a_short_lived_signed_cookie_and_goes_to_sign_in(site):
    client, core = site
    _, code = await alices_code(core)

    resp = await client.get(f"/r/{code}", allow_redirects=False)

    assert resp.status == 303
    assert resp.headers["Location"] == "/signin"
    cookie = resp.cookies["tp_ref"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == str(24 * 3600)
    assert cookie.value.startswith(f"{code}-")


async def test_signing_up_after_the_link_attributes_the_new_account(site, clock):
    client, core = site
    alice_id, code = await alices_code(core)
    await client.get(f"/r/{code}", allow_redirects=False)
    clock.advance(timedelta(minutes=2))

    # and on to /settings
    resp = await client.post("/auth/telegram-login", data=widget_login(clock, "2002"))

    assert resp.status == 200
    async with core.db.read() as session:
        bea = await core.users.find(session, "telegram", "2002")
        assert bea is not None
        bea_id = bea.id
    assert await referrals(core) == [(alice_id, bea_id, "web")]
    assert "tp_ref" not in {c.key for c in client.session.cookie_jar}


async def test_an_account_that_existed_before_the_link_is_not_attributed(site, clock):
    client, core = site
    _, code = await alices_code(core)
    async with core.db.session() as session:
        await core.users.get_or_create(session, Who("telegram", "2002"))
    clock.advance(timedelta(days=1))
    await client.get(f"/r/{code}", allow_redirects=False)

    resp = await client.post("/auth/telegram-login", data=widget_login(clock, "2002"))

    assert resp.status == 200
    assert await referrals(core) == []
    assert "tp_ref" not in {c.key for c in client.session.cookie_jar}


async def test_a_forged_cookie_attributes_nothing_and_is_dropped(site, clock):
    client, core = site
    _, code = await alices_code(core)
    stamp = int(clock.now().timestamp())
    client.session.cookie_jar.update_cookies(  # as if this site had set it
        {"tp_ref": f"{code}-{stamp}.zz.AAAAAAAAAAAA"}, response_url=client.make_url("/"))
    clock.advance(timedelta(minutes=1))

    resp = await client.post("/auth/telegram-login", data=widget_login(clock, "2002"))

    assert resp.status == 200
    assert await referrals(core) == []
    assert "tp_ref" not in {c.key for c in client.session.cookie_jar}


async def test_a_broken_link_answers_kindly_and_sets_nothing(site):
    client, _ = site

    resp = await client.get("/r/not-a-code!", allow_redirects=False)

    assert resp.status == 404
    assert "This invite link doesn't work" in await page_text(resp)
    assert "tp_ref" not in resp.cookies


async def test_someone_signed_in_already_is_not_given_the_cookie(site, clock):
    client, core = site
    _, code = await alices_code(core)
    await client.post("/auth/telegram-login", data=widget_login(clock, "2002"))

    resp = await client.get(f"/r/{code}", allow_redirects=False)

    assert resp.headers["Location"] == "/settings"
    assert "tp_ref" not in resp.cookies
