"""Signing out stops this device getting that person's notices: on a shared phone or
computer the next person signs in there, and must not see the last one's posts. The
server forgets the subscriptions the ending session registered."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.push import subscriptions
from core.push.service import PushMessage
from core.users import Who
from tests.fakes.web_signin import csrf_token, sign_in
from tests.web.test_push_routes import fake_push as fake_push  # the fixtures
from tests.web.test_push_routes import settings as settings

BEA = Who("telegram", "5151", display_name="Bea", username="bea")
pytestmark = pytest.mark.both_backends  # a new column, read and written on both




async def _devices(core, user_id: int) -> list[str]:
    async with core.db.read() as session:
        return [s.endpoint for s in await subscriptions.of_user(session, user_id)]


async def _subscribe(web, browser) -> None:
    resp = await web.post("/push/subscribe", json=browser.to_json(),
                          headers={"X-CSRF-Token": await csrf_token(web)})
    assert resp.status == 201


async def test_signing_out_forgets_this_devices_push_subscription(web, core, fake_push):
    alice = await sign_in(web, core)
    browser = fake_push.browser()
    await _subscribe(web, browser)

    await web.post("/signout", data={"csrf_token": await csrf_token(web)})

    assert await _devices(core, alice) == []


async def test_the_next_person_on_the_device_gets_none_of_the_last_ones_notices(
        web, core, fake_push):
    from web.pwa.push import PUSH_KEY

    alice = await sign_in(web, core)
    browser = fake_push.browser()
    await _subscribe(web, browser)
    await web.post("/signout", data={"csrf_token": await csrf_token(web)})
    await sign_in(web, core, BEA)

    report = await web.app[PUSH_KEY].send_to_user(alice, None, PushMessage("Posted", "r/x"))

    assert report.sent == 0
    assert fake_push.to(browser) == []


async def test_signing_in_over_someone_elses_session_forgets_their_subscription(
        web, core, fake_push):
    alice = await sign_in(web, core)
    await _subscribe(web, fake_push.browser())

    await sign_in(web, core, BEA)  # Alice never signed out; Bea's sign-in replaces her

    assert await _devices(core, alice) == []


async def test_signing_out_keeps_the_subscriptions_of_other_devices(web, core, fake_push):
    from aiohttp.test_utils import TestClient, TestServer

    from web.app import init_app

    alice = await sign_in(web, core)
    phone = fake_push.browser()
    async with TestClient(TestServer(init_app(core), host="127.0.0.1")) as laptop:
        await sign_in(laptop, core)
        await _subscribe(laptop, fake_push.browser())
        await _subscribe(web, phone)
        await laptop.post("/signout", data={"csrf_token": await csrf_token(laptop)})
    assert await _devices(core, alice) == [phone.endpoint]


async def test_signing_out_everywhere_forgets_every_device(web, core, fake_push):
    alice = await sign_in(web, core)
    await _subscribe(web, fake_push.browser())
    await web.post("/signout/everywhere", data={"csrf_token": await csrf_token(web)})
    assert await _devices(core, alice) == []


async def test_the_same_person_signing_in_again_keeps_their_device(web, core, fake_push):
    alice = await sign_in(web, core)
    browser = fake_push.browser()
    await _subscribe(web, browser)

    await sign_in(web, core)  # a fresh link, over her own session
    assert await _devices(core, alice) == [browser.endpoint]
    await web.post("/signout", data={"csrf_token": await csrf_token(web)})  # still tied

    assert await _devices(core, alice) == []


async def test_a_session_that_ran_out_still_takes_its_device_along(web, core, fake_push,
                                                                   clock):
    alice = await sign_in(web, core)
    await _subscribe(web, fake_push.browser())
    clock.advance(core.auth.sessions.idle + timedelta(minutes=1))  # never signed out

    await sign_in(web, core, BEA)

    assert await _devices(core, alice) == []


async def test_the_signed_out_page_drops_the_subscription_in_the_browser_too(web, core):
    await sign_in(web, core)
    page = await (await web.post("/signout", data={"csrf_token": await csrf_token(web)})).text()
    assert 'id="push-signed-out"' in page  # push.js unsubscribes there
    assert re.search(r'<script src="/static/push[^"]*\.js"', page), "push.js not on the page"
