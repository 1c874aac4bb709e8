"""The access log keeps credentials carried in URLs out of the log file."""

from __future__ import annotations

import logging

import pytest

from tests.fakes.raw_http import exchange, request, serving
from web.app import init_app
from web.logging import redact_query, redact_url

SECRET = "s3cret-value-42"


@pytest.fixture
def settings(make_settings, sqlite_url):
    return make_settings(sqlite_url)


@pytest.fixture
async def access_lines(core, caplog):
    """Send one request to the served app; returns the access log lines it produced."""
    caplog.set_level(logging.INFO, logger="web.access")

    async def send(raw: bytes) -> list[str]:
        async with serving(init_app(core), access_log=True) as port:
            await exchange(port, raw)
        return [r.getMessage() for r in caplog.records if r.name == "web.access"]

    return send


@pytest.mark.parametrize("target", [
    f"/reddit/callback?code={SECRET}&state={SECRET}",
    f"/reddit/connect?t={SECRET}",
    f"/reddit/callback?error=access_denied&state={SECRET}",
])
async def test_oauth_routes_are_logged_with_every_query_value_redacted(access_lines, target):
    [line] = await access_lines(request("GET", target))
    assert SECRET not in line
    assert "/reddit/" in line
    assert "=***" in line


@pytest.mark.parametrize("target", [
    f"/signin/{SECRET}", f"/billing/checkout/{SECRET}", f"/billing/portal/{SECRET}",
    f"/billing/portal/{SECRET}?from=chat",
])
async def test_a_token_carried_in_the_path_is_logged_redacted(access_lines, target):
    [line] = await access_lines(request("GET", target))
    assert SECRET not in line
    assert "/*** HTTP/1.1" in line or "/***?from=chat HTTP/1.1" in line


async def test_a_referer_holding_a_sign_in_link_is_redacted(access_lines):
    raw = request("GET", "/", headers={"Referer": f"https://tp.example/signin/{SECRET}"})
    [line] = await access_lines(raw)
    assert SECRET not in line
    assert "https://tp.example/signin/***" in line


async def test_credential_parameters_are_redacted_on_any_route(access_lines):
    [line] = await access_lines(request("GET", f"/nope?page=2&token={SECRET}"))
    assert SECRET not in line
    assert "page=2" in line
    assert "token=***" in line


async def test_a_referer_holding_a_callback_url_is_redacted(access_lines):
    raw = request("GET", "/", headers={
        "Referer": f"https://tp.example/reddit/callback?code={SECRET}&state={SECRET}"})
    [line] = await access_lines(raw)
    assert SECRET not in line
    assert "https://tp.example/reddit/callback?code=***&state=***" in line


async def test_no_access_log_unless_asked_for(core, caplog):
    caplog.set_level(logging.INFO, logger="web.access")
    async with serving(init_app(core), access_log=False) as port:
        assert (await exchange(port, request("GET", "/"))).status == 200
    assert not [r for r in caplog.records if r.name == "web.access"]


def test_redaction_keeps_names_and_harmless_values():
    assert redact_query("/search", "q=cats&sig=abc") == "q=cats&sig=***"
    assert redact_query("/reddit/callback", "q=cats") == "q=***"
    assert redact_url("/plain/path") == "/plain/path"
    assert redact_url("/a?code=1#frag") == "/a?code=***#***"
