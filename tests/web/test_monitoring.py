"""Request metrics per route template, /metrics behind a bearer token, slow requests
logged by template and method only, and web errors tracked centrally."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from aiohttp import web as aioweb
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from web.app import init_app
from web.keys import CORE_KEY

TOKEN = "scrape-token-for-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def _thing(request: aioweb.Request) -> aioweb.Response:
    return aioweb.Response(text="thing")


async def _slow(request: aioweb.Request) -> aioweb.Response:
    request.config_dict[CORE_KEY].clock.advance(timedelta(seconds=2.5))  # the fake clock
    return aioweb.Response(text="done")


async def _broken(request: aioweb.Request) -> aioweb.Response:
    raise RuntimeError("boom")


def _client(core) -> TestClient:
    app = init_app(core)
    app.router.add_get("/things/{thing_id}", _thing)
    app.router.add_get("/slow/{n}", _slow)
    app.router.add_get("/broken/{n}", _broken)
    return TestClient(TestServer(app, host="127.0.0.1"))


@pytest.fixture
async def client(make_settings, database_url, clock):
    settings = make_settings(database_url, monitoring={"metrics_token": TOKEN})
    async with open_core(settings, clock=clock) as core, _client(core) as client:
        yield client


async def test_metrics_is_a_404_when_no_token_is_configured(web):
    assert (await web.get("/metrics", headers=AUTH)).status == 404


async def test_metrics_refuses_a_missing_or_wrong_token(client):
    assert (await client.get("/metrics")).status == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert (await client.get("/metrics", headers=wrong)).status == 401


async def test_request_durations_are_labelled_by_route_template_never_raw_path(client):
    await client.get("/things/12345?api_key=hunter2")
    body = await (await client.get("/metrics", headers=AUTH)).text()
    assert ('thottopilot_http_request_duration_seconds_count{method="GET",'
            'route="/things/{thing_id}",status="200"} 1.0') in body
    assert "12345" not in body
    assert "hunter2" not in body


async def test_a_path_no_route_matches_is_counted_as_unmatched(client):
    await client.get("/no/such/page/secret-token")
    body = await (await client.get("/metrics", headers=AUTH)).text()
    assert 'route="unmatched",status="404"' in body
    assert "secret-token" not in body


async def test_a_slow_request_is_logged_with_route_and_method_only(client, caplog):
    caplog.set_level(logging.WARNING, logger="web.monitoring")
    await client.get("/slow/777?token=abc")
    lines = [r.getMessage() for r in caplog.records if r.name == "web.monitoring"]
    assert lines == ["slow request: GET /slow/{n} answered 200 in 2.50 s"]


async def test_a_fast_request_is_not_logged(client, caplog):
    caplog.set_level(logging.WARNING, logger="web.monitoring")
    await client.get("/things/1")
    assert not [r for r in caplog.records if r.name == "web.monitoring"]


async def test_a_route_error_is_tracked_once_per_fingerprint_and_the_page_stays_calm(client):
    for n in (1, 2):
        resp = await client.get(f"/broken/{n}")
        assert resp.status == 500
        assert "Nothing was lost" in await resp.text()
    core = client.app[CORE_KEY]
    async with core.db.read() as session:
        (report,) = await core.analytics.errors.recent(session)
    assert (report.where, report.error_type, report.count) == ("web", "RuntimeError", 2)
    assert report.context == {"route": "/broken/{n}", "method": "GET"}
    body = await (await client.get("/metrics", headers=AUTH)).text()
    assert 'thottopilot_errors_total{where="web"} 2.0' in body
