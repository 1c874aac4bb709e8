"""Reading webhook and form bodies: a malformed body is a 400/413, never a 500.

A small app with one JSON route and one form route is served exactly as in production;
requests go over raw sockets where a library would refuse to send them.
"""

from __future__ import annotations

import json
import logging

import pytest
from aiohttp import web

from tests.fakes.raw_http import exchange, request, serving
from web.bodies import read_form, read_json_object

MAX = 16 * 1024


async def _json_route(req: web.Request) -> web.Response:
    data = await read_json_object(req, max_bytes=MAX)
    return web.json_response({"keys": sorted(data)})


async def _form_route(req: web.Request) -> web.Response:
    form = await read_form(req, max_bytes=MAX)
    return web.json_response({"t": str(form.get("t", ""))})


@pytest.fixture
def settings(make_settings, sqlite_url):
    return make_settings(sqlite_url)


@pytest.fixture
async def port(core):
    from web.app import init_app

    app = init_app(core)
    app.router.add_post("/json", _json_route)
    app.router.add_post("/form", _form_route)
    async with serving(app) as bound:
        yield bound


def _json(body: bytes, content_type: str = "application/json", **kw: bool) -> bytes:
    return request("POST", "/json", body=body, headers={"Content-Type": content_type}, **kw)


async def test_a_json_object_is_read(port):
    resp = await exchange(port, _json(b'{"update_id": 1, "message": {"text": "hi"}}'))
    assert resp.status == 200
    assert json.loads(resp.body) == {"keys": ["message", "update_id"]}


@pytest.mark.parametrize(("body", "reason"), [
    (b"[1, 2]", "expected a JSON object"),
    (b'"just a string"', "expected a JSON object"),
    (b"42", "expected a JSON object"),
    (b"null", "expected a JSON object"),
    (b"{not json", "not valid JSON"),
    (b'{"a": NaN}', "not valid JSON"),
    (b'{"a": ' + b"9" * 5000 + b"}", "not valid JSON"),
    (b'{"a": "\xff\xfe"}', "not valid utf-8"),
    (b"", "not valid JSON"),
    (b'{"a": ' + b"[" * 40 + b"]" * 40 + b"}", "nested too deep"),
    (b"[" * 100_000 + b"]" * 100_000, "too_large"),
], ids=["array", "string", "number", "null", "broken", "nan", "huge-int", "bad-utf8",
        "empty", "nested-40", "nested-100k"])
async def test_a_bad_json_body_is_a_4xx_with_a_reason(port, body, reason, caplog):
    caplog.set_level(logging.WARNING)
    resp = await exchange(port, _json(body))
    assert resp.status in (400, 413)
    assert reason in resp.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_json_nested_past_the_recursion_limit_is_a_400(port):
    resp = await exchange(port, _json(b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}"))
    assert resp.status == 400
    assert "nested too deep" in resp.text


async def test_an_unknown_charset_is_a_400(port):
    resp = await exchange(port, _json(b"{}", "application/json; charset=klingon"))
    assert resp.status == 400
    assert "unknown charset" in resp.text


async def test_a_chunked_body_is_capped_like_a_sized_one(port):
    body = b'{"a": "' + b"x" * (MAX * 4) + b'"}'
    chunked = await exchange(port, _json(body, chunked=True))
    sized = await exchange(port, _json(body))
    assert (chunked.status, sized.status) == (413, 413)


async def test_a_chunked_body_under_the_cap_is_read(port):
    resp = await exchange(port, _json(b'{"a": 1}', chunked=True))
    assert resp.status == 200


async def test_broken_chunked_framing_is_a_400(port):
    raw = (b"POST /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
           b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"zz\r\n{}\r\n0\r\n\r\n")
    assert (await exchange(port, raw)).status == 400


async def test_a_form_is_read(port):
    resp = await exchange(port, request("POST", "/form", body=b"t=abc&x=1", headers={
        "Content-Type": "application/x-www-form-urlencoded"}))
    assert json.loads(resp.body) == {"t": "abc"}


async def test_a_multipart_form_is_read(port):
    body = b'--b0\r\nContent-Disposition: form-data; name="t"\r\n\r\nabc\r\n--b0--\r\n'
    resp = await exchange(port, request("POST", "/form", body=body, headers={
        "Content-Type": "multipart/form-data; boundary=b0"}))
    assert json.loads(resp.body) == {"t": "abc"}


@pytest.mark.parametrize(("content_type", "body"), [
    ("multipart/form-data; boundary=zzz", b"no boundary here"),
    ("multipart/form-data", b"--a\r\n"),
    ("application/x-www-form-urlencoded; charset=klingon", b"t=1"),
    ("application/x-www-form-urlencoded", b"t=\xff\xfe"),
    ("text/xml", b"<t>1</t>"),
], ids=["multipart-no-boundary", "multipart-no-param", "charset", "bad-utf8", "xml"])
async def test_a_malformed_form_is_a_400(port, content_type, body, caplog):
    resp = await exchange(port, request("POST", "/form", body=body,
                                        headers={"Content-Type": content_type}))
    assert resp.status == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
