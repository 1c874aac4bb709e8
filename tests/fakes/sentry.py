"""A Sentry ingest endpoint on 127.0.0.1: takes envelopes as sentry-sdk sends them
(POST /api/<project>/envelope/) and keeps the events they carry."""

from __future__ import annotations

import gzip
import json
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

PUBLIC_KEY = "0123456789abcdef0123456789abcdef"
PROJECT = "42"


class FakeSentry:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.auth: list[str] = []
        self.server: TestServer | None = None

    @property
    def dsn(self) -> str:
        assert self.server is not None
        return f"http://{PUBLIC_KEY}@127.0.0.1:{self.server.port}/{PROJECT}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{project}/envelope/", self._envelope)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _envelope(self, request: web.Request) -> web.Response:
        if request.match_info["project"] != PROJECT:
            return web.json_response({"detail": "unknown project"}, status=404)
        body = await request.read()  # aiohttp undoes the SDK's Content-Encoding: gzip
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        self.auth.append(request.headers.get("X-Sentry-Auth", ""))
        lines = body.split(b"\n")
        i = 1  # line 0 is the envelope header
        while i < len(lines) and lines[i].strip():
            header = json.loads(lines[i])
            payload = lines[i + 1]
            if header.get("type") == "event":
                self.events.append(json.loads(payload))
            i += 2
        return web.json_response({"id": "0" * 32})
