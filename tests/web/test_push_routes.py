"""Turning notifications on and off from the settings page: JSON routes behind sign-in
and the session's CSRF token, with a message a person can read when something's wrong."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.push import subscriptions
from tests.fakes.push import FakePushService, running_fake_push
from tests.fakes.web_signin import csrf_token, page_text, sign_in


@pytest.fixture
async def fake_push() -> AsyncIterator[FakePushService]:
    async with running_fake_push() as fake:
        yield fake


@pytest.fixture
def settings(make_settings, database_url, fake_push):
    return make_settings(database_url, push={"extra_endpoint_origins": [fake_push.origin]})


@pytest.fixture
async def signed_in(web, core):
    user_id = await sign_in(web, core)
    return web, user_id, await csrf_token(web)


async def _devices(core, user_id: int) -> list[str]:
    async with core.db.read() as session:
        return [s.endpoint for s in await subscriptions.of_user(session, user_id)]


async def test_a_browser_subscribes_with_the_pages_token(signed_in, core, fake_push):
    web, user_id, token = signed_in
    browser = fake_push.browser()
    resp = await web.post("/push/subscribe", json=browser.to_json(),
                          headers={"X-CSRF-Token": token})
    assert resp.status == 201
    assert (await resp.json())["message"] == "Notifications are on for this device."
    assert await _devices(core, user_id) == [browser.endpoint]


async def test_the_settings_page_lists_the_device_and_explains_ios(signed_in, fake_push):
    web, _, token = signed_in
    await web.post("/push/subscribe", json=fake_push.browser().to_json("Safari on iOS"),
                   headers={"X-CSRF-Token": token})
    page = await page_text(await web.get("/settings"))
    assert "Devices with notifications on: Safari on iOS." in page
    assert "add ThottoPilot to your Home Screen" in page


async def test_the_page_carries_the_vapid_public_key_for_subscribing(signed_in, core):
    from core.push.service import PushService

    web, _, _ = signed_in
    page = await page_text(await web.get("/settings"))
    assert f'data-vapid-key="{PushService(core).public_key}"' in page


async def test_subscribing_needs_a_signed_in_session(web, fake_push):
    resp = await web.post("/push/subscribe", json=fake_push.browser().to_json())
    assert resp.status == 401
    assert "sign in" in (await resp.json())["error"]


async def test_a_missing_or_foreign_csrf_token_is_refused(signed_in, core, fake_push):
    web, user_id, _ = signed_in
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        resp = await web.post("/push/subscribe", json=fake_push.browser().to_json(),
                              headers=headers)
        assert resp.status == 403
        assert "Reload it" in (await resp.json())["error"]
    assert await _devices(core, user_id) == []


async def test_another_sites_request_is_refused_even_with_a_token(signed_in, fake_push):
    web, _, token = signed_in
    resp = await web.post("/push/subscribe", json=fake_push.browser().to_json(),
                          headers={"X-CSRF-Token": token, "Origin": "https://evil.example"})
    assert resp.status == 403


async def test_an_endpoint_on_an_unknown_server_is_refused_with_a_reason(signed_in, core,
                                                                         fake_push):
    web, user_id, token = signed_in
    data = fake_push.browser().to_json()
    data["endpoint"] = "https://10.0.0.5/steal"
    resp = await web.post("/push/subscribe", json=data, headers={"X-CSRF-Token": token})
    assert resp.status == 400
    assert "isn't one we can send to" in (await resp.json())["error"]
    assert await _devices(core, user_id) == []


async def test_a_body_that_is_not_json_gets_a_friendly_answer(signed_in):
    web, _, token = signed_in
    resp = await web.post("/push/subscribe", data=b"{nope",
                          headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
    assert resp.status == 400
    assert "couldn't read" in (await resp.json())["error"]


async def test_unsubscribing_forgets_the_browser(signed_in, core, fake_push):
    web, user_id, token = signed_in
    browser = fake_push.browser()
    await web.post("/push/subscribe", json=browser.to_json(), headers={"X-CSRF-Token": token})
    resp = await web.post("/push/unsubscribe", json={"endpoint": browser.endpoint},
                          headers={"X-CSRF-Token": token})
    assert resp.status == 200
    assert await _devices(core, user_id) == []


async def test_unsubscribing_needs_the_csrf_token_too(signed_in, core, fake_push):
    web, user_id, token = signed_in
    browser = fake_push.browser()
    await web.post("/push/subscribe", json=browser.to_json(), headers={"X-CSRF-Token": token})
    resp = await web.post("/push/unsubscribe", json={"endpoint": browser.endpoint})
    assert resp.status == 403
    assert await _devices(core, user_id) == [browser.endpoint]


async def test_a_test_notification_reaches_the_browser(signed_in, fake_push):
    web, _, token = signed_in
    browser = fake_push.browser()
    await web.post("/push/subscribe", json=browser.to_json(), headers={"X-CSRF-Token": token})
    resp = await web.post("/push/test", json={}, headers={"X-CSRF-Token": token})
    assert resp.status == 200
    [message] = fake_push.to(browser)
    assert message["title"] == "Notifications are on"


async def test_a_test_with_no_device_says_to_turn_notifications_on_first(signed_in):
    web, _, token = signed_in
    resp = await web.post("/push/test", json={}, headers={"X-CSRF-Token": token})
    assert resp.status == 409
    assert "Turn them on first" in (await resp.json())["error"]


async def test_unsubscribing_without_an_endpoint_is_explained(signed_in):
    web, _, token = signed_in
    resp = await web.post("/push/unsubscribe", json={}, headers={"X-CSRF-Token": token})
    assert resp.status == 400
    assert "push address didn't look right" in (await resp.json())["error"]


async def test_an_oversized_subscription_is_refused_kindly(signed_in, fake_push):
    web, _, token = signed_in
    data = fake_push.browser().to_json(label="x" * 10_000)
    resp = await web.post("/push/subscribe", json=data, headers={"X-CSRF-Token": token})
    assert resp.status == 413
    assert "couldn't read" in (await resp.json())["error"]
