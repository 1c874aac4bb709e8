"""Hostile requests against the web companion, served exactly as in production.

Every case goes over a raw socket to the real runner (`web.server.make_runner`, access
log on), because the worst inputs are ones no HTTP library would send. Each case must get
the expected 4xx (or a calm page), carry the security headers and no version banner,
never echo its secret back, and leave no ERROR traceback and no secret in any log line
(the conftest checks the logs).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.fakes.raw_http import exchange, request, serving
from web.app import init_app

SECRET = "s3cr3t-hostile-9f8e7d"
S = SECRET.encode()
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass(frozen=True)
class Case:
    id: str
    raw: bytes
    status: tuple[int, ...]
    says: str = ""  # a friendly sentence the answer must contain
    must_not_echo: tuple[bytes, ...] = (S,)


def _multipart(boundary: str, body: bytes) -> bytes:
    return request("POST", "/reddit/connect", body=body,
                   headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


CASES = [
    # -- requests the HTTP parser refuses: no echo, no traceback -----------------------
    Case("garbage-request-line", b"\x00\x01" + S + b"\r\n\r\n", (400,)),
    Case("tls-on-http-port", b"\x16\x03\x01\x02\x00" + S + b"\r\n\r\n", (400,)),
    Case("script-in-method", b"<script>" + S + b" / HTTP/1.1\r\nHost: x\r\n\r\n", (400,)),
    Case("invalid-header-name",
         b"GET / HTTP/1.1\r\nHost: x\r\nBad Header<x>: " + S + b"\r\n\r\n", (400,)),
    Case("oversized-header-value",
         b"GET / HTTP/1.1\r\nHost: x\r\nCookie: session=" + S + b"A" * 20_000 + b"\r\n\r\n",
         (400, 431)),
    Case("oversized-request-line",
         b"GET /reddit/callback?code=" + S + b"B" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
         (400, 414)),
    Case("too-many-headers",
         b"GET / HTTP/1.1\r\nHost: x\r\n"
         + b"".join(b"X-H%d: %s\r\n" % (i, S) for i in range(300)) + b"\r\n", (400, 431)),
    Case("nul-in-header", b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00" + S + b"\r\n\r\n", (400,)),
    Case("obs-fold-header",
         b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n " + S + b"\r\n\r\n", (400,)),
    Case("unknown-http-version", b"GET / HTTP/9.9\r\nHost: x\r\nX-A: " + S + b"\r\n\r\n",
         (400, 505)),
    Case("length-and-chunked",
         b"POST /reddit/connect HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
         b"Transfer-Encoding: chunked\r\nX-A: " + S + b"\r\n\r\n0\r\n\r\n", (400,)),
    Case("two-content-lengths",
         b"POST /reddit/connect HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
         b"Content-Length: 5\r\nX-A: " + S + b"\r\n\r\nt=1", (400,)),
    Case("negative-content-length",
         b"POST /reddit/connect HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nX-A: " + S
         + b"\r\n\r\n", (400,)),
    # -- bodies the app refuses: a 4xx page, never a 500 -------------------------------
    Case("broken-chunk-framing",
         b"POST /reddit/connect HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
         b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
         b"\r\nzz\r\nt=" + S + b"\r\n0\r\n\r\n", (400,)),
    Case("chunked-form-over-the-cap",
         request("POST", "/reddit/connect", headers=FORM, chunked=True,
                 body=b"t=" + S + b"x" * 200_000), (413,)),
    Case("sized-form-over-the-cap",
         request("POST", "/reddit/connect", headers=FORM, body=b"t=" + S + b"x" * 200_000),
         (413,)),
    Case("absurd-content-length",
         b"POST /reddit/connect HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
         b"Content-Type: application/x-www-form-urlencoded\r\n"
         b"Content-Length: 1000000000000\r\n\r\nt=" + S, (413,)),
    Case("multipart-without-its-boundary", _multipart("zzz", b"t=" + S), (400,),
         says="expired"),
    Case("multipart-missing-boundary-param",
         request("POST", "/reddit/connect", body=b"--a\r\n" + S,
                 headers={"Content-Type": "multipart/form-data"}), (400,), says="expired"),
    Case("multipart-truncated",
         _multipart("b0", b'--b0\r\nContent-Disposition: form-data; name="t"\r\n\r\n' + S),
         (400,), says="expired"),
    Case("unknown-charset",
         request("POST", "/reddit/connect", body=b"t=" + S,
                 headers={"Content-Type": "application/x-www-form-urlencoded; charset=klingon"}),
         (400,), says="expired"),
    Case("invalid-utf8-form",
         request("POST", "/reddit/connect", headers=FORM, body=b"t=\xff\xfe" + S),
         (400,), says="expired"),
    Case("json-instead-of-a-form",
         request("POST", "/reddit/connect", body=b'{"t": "' + S + b'"}',
                 headers={"Content-Type": "application/json"}), (400,), says="expired"),
    Case("nested-json-instead-of-a-form",
         request("POST", "/reddit/connect", body=b"[" * 100_000,
                 headers={"Content-Type": "application/json"}), (400,), says="expired"),
    # -- routes and methods that don't exist -------------------------------------------
    Case("unknown-path-with-a-token", request("GET", f"/nope?token={SECRET}"), (404,)),
    Case("wrong-method", request("PUT", f"/healthz?api_key={SECRET}"), (405,)),
    Case("trace-method", request("TRACE", "/", headers={"X-A": SECRET}), (405,)),
    Case("path-traversal", request("GET", "/../../etc/passwd"), (404,)),
    Case("percent-encoded-garbage-path", request("GET", "/%ff%fe%00"), (404,)),
    Case("absolute-form-target", request("GET", f"http://evil.example/?code={SECRET}"),
         (200,)),  # served as "/": the landing page, with the code kept out of the log
    # -- the OAuth pages: calm answers, credentials never logged -----------------------
    Case("callback-with-a-forged-state",
         request("GET", f"/reddit/callback?code={SECRET}&state={SECRET}x"), (400,),
         says="already used"),
    Case("callback-with-html-in-error",
         request("GET", f"/reddit/callback?error=%3Cscript%3Ealert(1)%3C/script%3E&state={SECRET}"),
         (400,), says="nothing was connected", must_not_echo=(S, b"<script>")),
    Case("callback-with-a-forged-cookie",
         request("GET", f"/reddit/callback?code=c&state={SECRET}",
                 headers={"Cookie": f"tp_reddit_oauth=1.99999999999.{SECRET}"}), (400,)),
    Case("callback-with-a-huge-state",
         request("GET", f"/reddit/callback?code=c&state={SECRET}{'z' * 7000}"), (400,)),
    Case("connect-link-with-html",
         request("GET", f"/reddit/connect?t=%3Cscript%3E{SECRET}"), (400,), says="expired",
         must_not_echo=(S, b"<script>")),
    Case("connect-link-with-bad-percent-encoding",
         request("GET", f"/reddit/connect?t=%ff%fe{SECRET}"), (400,), says="expired"),
    Case("connect-link-repeated-two-hundred-times",
         request("GET", "/reddit/connect?" + "&".join([f"t={SECRET}"] * 200)), (400,),
         says="expired"),
    Case("connect-form-with-a-forged-token",
         request("POST", "/reddit/connect", headers=FORM, body=b"t=1.99999999999." + S),
         (400,), says="expired"),
    Case("referer-carrying-a-callback-url",
         request("GET", "/", headers={
             "Referer": f"https://example.com/reddit/callback?code={SECRET}&state={SECRET}"}),
         (200,), must_not_echo=()),
]


@pytest.fixture
def settings(make_settings, sqlite_url):
    return make_settings(sqlite_url)  # SQLite is enough: these cases never reach the database rules


@pytest.fixture
async def port(core):
    async with serving(init_app(core), access_log=True) as bound:
        yield bound


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_hostile_request_gets_a_calm_answer(case: Case, port, log_watch):
    log_watch.forbid(SECRET)
    resp = await exchange(port, case.raw)
    assert resp.status in case.status, resp.raw[:300]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert "Server" not in resp.headers
    for echo in case.must_not_echo:
        assert echo not in resp.raw
    assert b"Traceback" not in resp.raw
    if case.says:
        assert case.says in resp.text
    log_watch.assert_clean()
