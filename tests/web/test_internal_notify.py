"""POST /internal/notify: signed calls from our other processes, accepted once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from core.webhooks.internal import NOTIFY_PATH, PLAN_CHANGED, internal_key
from core.webhooks.sender import WebhookFailed, WebhookSender
from core.webhooks.signing import HEADER, sign
from web.app import init_app


@pytest.fixture
def sender(core, clock) -> WebhookSender:
    """What the worker or the CLI holds: the installation key, nothing else."""
    return WebhookSender(internal_key(core.secret_key), clock)


def plan_changed(user_id: int = 7) -> dict[str, object]:
    return {"event": PLAN_CHANGED, "user_id": user_id}


async def test_a_signed_call_is_accepted(web, sender):
    status = await sender.post(str(web.make_url(NOTIFY_PATH)), plan_changed())
    assert status == 200


async def test_an_unsigned_call_is_refused(web):
    resp = await web.post(NOTIFY_PATH, json=plan_changed())
    assert resp.status == 401
    assert (await resp.json())["error"] == "malformed"


async def test_a_call_signed_with_another_key_is_forged(web, clock):
    forger = WebhookSender(internal_key(b"another-installation-secret-key!!"), clock)
    body, headers = forger.signed(plan_changed())
    resp = await web.post(NOTIFY_PATH, data=body, headers=headers)
    assert resp.status == 401
    assert (await resp.json())["error"] == "forged"


async def test_a_body_changed_in_transit_is_forged(web, sender):
    body, headers = sender.signed(plan_changed(7))
    resp = await web.post(NOTIFY_PATH, data=body.replace(b"7", b"8"), headers=headers)
    assert (await resp.json())["error"] == "forged"


async def test_a_call_older_than_five_minutes_is_stale(web, sender, clock):
    body, headers = sender.signed(plan_changed())
    clock.advance(timedelta(seconds=301))
    resp = await web.post(NOTIFY_PATH, data=body, headers=headers)
    assert resp.status == 401
    assert (await resp.json())["error"] == "stale"


async def test_the_same_call_replayed_is_refused(web, sender, clock):
    body, headers = sender.signed(plan_changed())
    assert (await web.post(NOTIFY_PATH, data=body, headers=headers)).status == 200
    clock.advance(timedelta(seconds=30))
    resp = await web.post(NOTIFY_PATH, data=body, headers=headers)
    assert resp.status == 401
    assert (await resp.json())["error"] == "replayed"


async def test_the_sender_reports_a_refusal(web, clock):
    forger = WebhookSender(internal_key(b"another-installation-secret-key!!"), clock)
    with pytest.raises(WebhookFailed) as refused:
        await forger.post(str(web.make_url(NOTIFY_PATH)), plan_changed())
    assert refused.value.status == 401


async def test_the_sender_reports_an_unreachable_receiver(sender):
    with pytest.raises(WebhookFailed):
        await sender.post("http://127.0.0.1:9/internal/notify", plan_changed())


@pytest.mark.parametrize(("payload", "error"), [
    ({"event": "launch_missiles"}, "unknown_event"),
    ({"event": PLAN_CHANGED}, "bad_user_id"),
    ({"event": PLAN_CHANGED, "user_id": "7"}, "bad_user_id"),
    ({"event": PLAN_CHANGED, "user_id": True}, "bad_user_id"),
    ({"event": PLAN_CHANGED, "user_id": -1}, "bad_user_id"),
    (["plan_changed"], "unknown_event"),
])
async def test_an_authentic_call_that_makes_no_sense_is_a_400(web, sender, payload, error):
    body, headers = sender.signed(payload)
    resp = await web.post(NOTIFY_PATH, data=body, headers=headers)
    assert resp.status == 400
    assert (await resp.json())["error"] == error


async def test_an_authentic_body_that_is_not_json_is_a_400(web, core, clock):
    raw = b"\xff not json"
    headers = {HEADER: sign(internal_key(core.secret_key), raw, clock)}
    resp = await web.post(NOTIFY_PATH, data=raw, headers=headers)
    assert resp.status == 400
    assert json.loads(await resp.text())["error"] == "malformed_json"


async def test_a_replay_to_another_web_process_is_refused_through_redis(
        make_settings, database_url, clock, redis_section):
    settings = make_settings(database_url, redis=redis_section)
    async with (open_core(settings, clock=clock) as core,
                TestClient(TestServer(init_app(core), host="127.0.0.1")) as one,
                TestClient(TestServer(init_app(core), host="127.0.0.1")) as two):
        body, headers = WebhookSender(internal_key(core.secret_key), clock).signed(
            plan_changed())
        assert (await one.post(NOTIFY_PATH, data=body, headers=headers)).status == 200
        resp = await two.post(NOTIFY_PATH, data=body, headers=headers)
        error = (await resp.json())["error"]
    assert resp.status == 401
    assert error == "replayed"
