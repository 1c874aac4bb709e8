"""Requests aiohttp's HTTP parser refuses: answered without echoing a byte of them."""

from __future__ import annotations

import logging

import pytest

from tests.fakes.raw_http import exchange, serving
from web.app import init_app

HEADER_SECRET = b"Bearer-s3cret-in-a-header"


@pytest.fixture
def settings(make_settings, sqlite_url):
    return make_settings(sqlite_url)


@pytest.fixture
async def port(core):
    async with serving(init_app(core)) as bound:
        yield bound


@pytest.mark.parametrize("raw", [
    b"GET / HTTP/1.1\r\nHost: x\r\nBad Header<x>: " + HEADER_SECRET + b"\r\n\r\n",
    b"\x00garbage " + HEADER_SECRET + b"\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nAuthorization: " + HEADER_SECRET + b"A" * 20_000
    + b"\r\n\r\n",
], ids=["invalid-header", "garbled-request-line", "oversized-header"])
async def test_a_malformed_request_is_a_400_that_echoes_nothing(port, raw):
    resp = await exchange(port, raw)
    assert resp.status == 400
    assert HEADER_SECRET not in resp.raw
    assert resp.text.endswith(".")  # one fixed sentence
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "Server" not in resp.headers


async def test_an_oversized_header_is_logged_as_one_warning_without_its_contents(port, caplog):
    caplog.set_level(logging.DEBUG)
    raw = b"GET / HTTP/1.1\r\nHost: x\r\nCookie: " + HEADER_SECRET + b"A" * 20_000 + b"\r\n\r\n"
    assert (await exchange(port, raw)).status == 400
    [warning] = [r for r in caplog.records if r.name == "web.server"]
    assert warning.levelno == logging.WARNING
    assert "too large" in warning.getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert HEADER_SECRET.decode() not in caplog.text
