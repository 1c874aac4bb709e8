"""Every response carries the security headers: pages, errors, redirects alike."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from core.users import Who
from web.app import init_app

HTTPS_SITE = "https://tp.example"


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section(),
                         web={"public_url": HTTPS_SITE})


async def _boom(request: web.Request) -> web.Response:
    raise RuntimeError("a bug in a handler")


@pytest.fixture
async def site(core):
    """The web companion plus one route that fails, to see the 500 page."""
    app = init_app(core)
    app.router.add_get("/boom", _boom)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


def _assert_hardened(resp) -> None:
    headers = resp.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Server" not in headers


async def _connect_link_path(core) -> str:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "1", "Ann"))
    link = urlsplit(core.reddit.oauth.connect_link(user.id))
    return f"{link.path}?{link.query}"


async def test_a_page_carries_the_headers(site):
    _assert_hardened(await site.get("/"))


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/no-such-page", 404),
    ("DELETE", "/healthz", 405),
    ("GET", "/boom", 500),
])
async def test_error_pages_carry_the_headers(site, method, path, status):
    resp = await site.request(method, path)
    assert resp.status == status
    _assert_hardened(resp)


async def test_the_500_page_is_calm_and_reveals_nothing(site):
    resp = await site.get("/boom")
    text = await resp.text()
    assert "Nothing was lost" in text
    assert "RuntimeError" not in text


async def test_an_oversized_body_is_a_413_with_the_headers(site):
    resp = await site.post("/reddit/connect", data={"t": "x" * 200_000})
    assert resp.status == 413
    _assert_hardened(resp)


async def test_the_redirect_to_reddit_carries_the_headers_and_no_store(site, core):
    path = await _connect_link_path(core)
    token = parse_qs(urlsplit(path).query)["t"][0]
    resp = await site.post("/reddit/connect", data={"t": token}, allow_redirects=False)
    assert resp.status == 302
    _assert_hardened(resp)
    assert resp.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/reddit/connect?t=junk", "/reddit/callback?error=x"])
async def test_oauth_pages_are_never_cached(site, path):
    resp = await site.get(path)
    assert resp.headers["Cache-Control"] == "no-store"


async def test_the_confirm_page_is_never_cached(site, core):
    resp = await site.get(await _connect_link_path(core))
    assert resp.status == 200
    assert resp.headers["Cache-Control"] == "no-store"


async def test_ordinary_pages_may_be_cached(site):
    assert "Cache-Control" not in (await site.get("/")).headers


async def test_no_hsts_when_the_site_is_plain_http(make_settings, clock):
    settings = make_settings(web={"public_url": "http://127.0.0.1:8080"})
    async with (open_core(settings, clock=clock) as core,
                TestClient(TestServer(init_app(core), host="127.0.0.1")) as client):
        resp = await client.get("/")
    assert "Strict-Transport-Security" not in resp.headers
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
