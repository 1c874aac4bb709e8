"""A small local load balancer for trying a deployment on one machine (`scripts/cluster`).

It stands where a production load balancer would: one port in front of N `thottopilot
serve` processes, round robin, so one chat's consecutive Telegram updates land on
different processes (per-chat order must then come from the database inbox, not from
the balancer). It is a development tool, not part of the product: nothing under bot/,
core/ or web/ imports it, and production uses a real proxy (nginx, Caddy, a cloud LB).

What it does, and why:
- passes method, path, query, headers (the Telegram secret header too) and body, and
  streams the answer back (server-sent events keep working);
- reads the request body first, so a backend that refuses the connection costs nothing:
  the request goes to the next backend whatever its method; once a request may have
  reached a backend, only idempotent methods are retried (a POST could have been acted
  on; Telegram delivers a failed update again and the inbox drops the repeat);
- marks a refusing backend down for `recheck` seconds, then tries it again;
- adds X-Forwarded-For and X-Forwarded-Proto (keeping what a TLS terminator in front set);
- answers `GET /_balancer` itself: each backend, up or down, and how many it served.

Run alone: `python -m scripts.balancer --port 8080 http://127.0.0.1:8081 ...`.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

STATUS_PATH = "/_balancer"
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# Per-connection headers (RFC 9110 7.6.1): never forwarded. Content-Length is recomputed.
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
    "trailer", "trailers", "transfer-encoding", "upgrade", "content-length",
})
MAX_BODY = 64 * 1024 * 1024  # the product caps its own bodies far below this
CHUNK = 64 * 1024


@dataclass
class Backend:
    url: str  # http://host:port, no trailing slash
    down_until: float = 0.0  # time.monotonic() before which it is skipped
    served: int = 0

    def up(self, now: float) -> bool:
        return now >= self.down_until


class Balancer:
    """Round robin over `backends`; `recheck`: seconds a refusing backend is skipped."""

    def __init__(self, backends: Sequence[str], *, recheck: float = 5.0) -> None:
        if not backends:
            raise ValueError("a balancer needs at least one backend")
        self.backends = [Backend(url.rstrip("/")) for url in backends]
        self.recheck = recheck
        self._turns = itertools.count()
        self._http: aiohttp.ClientSession | None = None

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_get(STATUS_PATH, self.status)
        app.router.add_route("*", "/{tail:.*}", self.proxy)
        app.on_startup.append(self._open)
        app.on_cleanup.append(self._close)
        return app

    async def _open(self, _: web.Application) -> None:
        # No read timeout: an answer may be a long stream (server-sent events). Compressed
        # bodies pass through as they are (the client must not decode them for us).
        self._http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=30),
            auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar())

    async def _close(self, _: web.Application) -> None:
        if self._http is not None:
            await self._http.close()

    def order(self) -> list[Backend]:
        """This request's backends: the next in turn first, backends marked down last."""
        start = next(self._turns) % len(self.backends)
        turn = self.backends[start:] + self.backends[:start]
        now = time.monotonic()
        return [b for b in turn if b.up(now)] + [b for b in turn if not b.up(now)]

    async def status(self, _: web.Request) -> web.Response:
        now = time.monotonic()
        backends = [{"url": b.url, "up": b.up(now), "served": b.served}
                    for b in self.backends]
        healthy = any(b["up"] for b in backends)
        return web.json_response({"status": "ok" if healthy else "down",
                                  "backends": backends}, status=200 if healthy else 503)

    async def proxy(self, request: web.Request) -> web.StreamResponse:
        assert self._http is not None
        body = await request.read()
        headers = forwarded_headers(request)
        for backend in self.order():
            try:
                upstream = await self._http.request(
                    request.method, backend.url + request.path_qs, headers=headers,
                    data=body, allow_redirects=False)
            except aiohttp.ClientConnectorError:  # refused: nothing was sent
                backend.down_until = time.monotonic() + self.recheck
                continue
            except aiohttp.ClientConnectionError:  # it may have reached the backend
                if request.method in IDEMPOTENT:
                    continue
                raise web.HTTPBadGateway(text="backend failed mid-request\n") from None
            backend.down_until = 0.0
            backend.served += 1
            try:
                return await relay(request, upstream)
            finally:
                upstream.release()
        raise web.HTTPBadGateway(text="no backend answered\n")


class Relayed(web.StreamResponse):
    """The backend's answer: aiohttp adds a `Server` of its own while preparing headers,
    which the product deliberately never sends (web/server.py); keep only the backend's."""

    def __init__(self, upstream: aiohttp.ClientResponse) -> None:
        super().__init__(status=upstream.status, reason=upstream.reason)
        self._server = upstream.headers.get("Server")

    async def _prepare_headers(self) -> None:
        await super()._prepare_headers()
        self.headers.popall("Server", None)
        if self._server is not None:
            self.headers["Server"] = self._server


def forwarded_headers(request: web.Request) -> CIMultiDict[str]:
    """The request's end-to-end headers plus who asked and over what."""
    headers = CIMultiDict((k, v) for k, v in request.headers.items()
                          if k.lower() not in HOP_BY_HOP)
    peer = request.remote or ""
    seen = headers.get("X-Forwarded-For")
    headers["X-Forwarded-For"] = f"{seen}, {peer}" if seen else peer
    headers.setdefault("X-Forwarded-Proto", request.scheme)
    return headers


async def relay(request: web.Request, upstream: aiohttp.ClientResponse) -> web.StreamResponse:
    """Stream the backend's answer to the client as it arrives."""
    answer = Relayed(upstream)
    for key, value in upstream.headers.items():
        if key.lower() not in HOP_BY_HOP:
            answer.headers.add(key, value)
    if "Content-Length" in upstream.headers:  # the raw bytes: nothing is decoded here
        answer.content_length = int(upstream.headers["Content-Length"])
    await answer.prepare(request)
    async for chunk in upstream.content.iter_chunked(CHUNK):
        await answer.write(chunk)
    await answer.write_eof()
    return answer


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("backends", nargs="+", help="backend base URLs (http://host:port)")
    args = parser.parse_args(argv)
    app = Balancer(args.backends).app()
    web.run_app(app, host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
