"""Hostile cases against request budgets and signed internal calls: spoofed client
addresses, a Redis that is down, garbage signatures and cookies. Each gets a calm
answer, never a 500, and nothing secret in the logs (the conftest checks)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer, unused_port

from core.bootstrap import open_core
from core.webhooks.internal import NOTIFY_PATH, internal_key
from core.webhooks.signing import HEADER, sign
from web.app import init_app

SPOOFS = [
    {"X-Forwarded-For": "203.0.113.99"},
    {"X-Forwarded-For": "203.0.113.99, 127.0.0.1"},
    {"X-Real-IP": "203.0.113.99"},
    {"Forwarded": "for=203.0.113.99"},
    {"X-Forwarded-For": "not an address"},
    {"X-Forwarded-For": "1," * 2000},
]


@asynccontextmanager
async def site(make_settings: Any, database_url: str, clock: Any,
               **sections: Any) -> AsyncIterator[tuple[TestClient, Any]]:
    ratelimit = {"enabled": True, "anonymous_per_minute": 2, **sections.pop("ratelimit", {})}
    settings = make_settings(database_url, ratelimit=ratelimit, **sections)
    async with (open_core(settings, clock=clock) as core,
                TestClient(TestServer(init_app(core), host="127.0.0.1")) as client):
        yield client, core


@pytest.mark.parametrize("spoof", SPOOFS, ids=lambda h: next(iter(h)) + str(len(str(h))))
async def test_a_made_up_client_address_gets_no_fresh_budget(
        make_settings, database_url, clock, spoof):
    async with site(make_settings, database_url, clock) as (client, _):
        for _ in range(2):
            assert (await client.get("/")).status == 200
        resp = await client.get("/", headers=spoof)
    assert resp.status == 429


@pytest.mark.parametrize("cookie", ["garbage", "x" * 3000, "\u00e9t\u00e9", ""])
async def test_a_junk_session_cookie_counts_as_anonymous(
        make_settings, database_url, clock, cookie):
    async with site(make_settings, database_url, clock) as (client, _):
        statuses = [(await client.get("/", headers={"Cookie": f"tp_session={cookie}"}
                                      if cookie.isascii() else {})).status
                    for _ in range(3)]
    assert statuses == [200, 200, 429]


async def test_with_redis_down_requests_are_served_and_the_outage_logged(
        make_settings, database_url, clock, caplog):
    down = {"url": f"redis://127.0.0.1:{unused_port()}/0"}
    async with site(make_settings, database_url, clock, redis=down) as (client, _):
        with caplog.at_level(logging.WARNING, logger="web.ratelimit.budget"):
            statuses = [(await client.get("/")).status for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert "rate limit storage unavailable" in caplog.text


@pytest.mark.parametrize("header", [
    "", "t=,id=,v1=", "v1=" + "f" * 64, "t=99999999999999999999,id=" + "a" * 20 + ",v1=" + "0" * 64,
    "t=1,id=" + "a" * 20 + ",v1=" + "0" * 64 + ",v1=" * 400, "\u2603",
])
async def test_a_junk_signature_is_refused_calmly(make_settings, database_url, clock, header):
    async with site(make_settings, database_url, clock) as (client, _):
        headers = {HEADER: header} if header.isascii() else {}
        resp = await client.post(NOTIFY_PATH, data=b'{"event":"plan_changed","user_id":1}',
                                 headers=headers)
    assert resp.status == 401


async def test_an_oversized_internal_call_is_refused_before_it_is_checked(
        make_settings, database_url, clock):
    async with site(make_settings, database_url, clock) as (client, core):
        body = b'{"pad":"' + b"x" * 100_000 + b'"}'
        headers = {HEADER: sign(internal_key(core.secret_key), body, clock)}
        resp = await client.post(NOTIFY_PATH, data=body, headers=headers)
    assert resp.status == 413


async def test_a_signed_call_to_the_wrong_method_is_a_405(make_settings, database_url, clock):
    async with site(make_settings, database_url, clock) as (client, _):
        resp = await client.get(NOTIFY_PATH)
    assert resp.status == 405
