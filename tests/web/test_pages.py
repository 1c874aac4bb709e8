"""Landing page, health check and security headers of the web companion."""

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from web.app import init_app


@pytest.fixture
def client(web):
    return web


async def test_healthz_reports_status_database_and_version(client, core):
    resp = await client.get("/healthz")
    assert resp.status == 200
    body = await resp.json()
    assert body["status"] == "ok"
    assert body["database"]["reachable"] is True
    assert body["version"] == core.version


async def test_healthz_is_503_when_the_database_is_unreachable(make_settings, clock):
    # Nothing listens on port 1: the database "host" is down.
    settings = make_settings("postgresql+asyncpg://nobody@127.0.0.1:1/gone")
    async with (
        open_core(settings, clock=clock, run_migrations=False) as core,
        TestClient(TestServer(init_app(core), host="127.0.0.1")) as c,
    ):
        resp = await c.get("/healthz")
        assert resp.status == 503
        assert (await resp.json())["database"]["reachable"] is False


async def test_landing_page_says_what_the_product_does(client):
    resp = await client.get("/")
    assert resp.status == 200
    assert "ThottoPilot" in await resp.text()


async def test_every_response_has_security_headers(client):
    resp = await client.get("/")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]


async def test_the_landing_page_describes_itself_for_search_and_sharing(client):
    page = await (await client.get("/")).text()
    assert '<meta name="description" content="Captions in your voice' in page
    assert "<style" not in page  # styles come from the cached, fingerprinted stylesheet
