"""scripts/balancer.py, the local balancer of `scripts/cluster`: round robin over its
backends, a refusing backend skipped (and marked down), the request passed whole (method,
path, query, headers, body) with who asked added, and the answer passed back whole.
Two tiny aiohttp backends on 127.0.0.1; nothing is timed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from scripts.balancer import STATUS_PATH, Balancer
from scripts.cluster import free_port

CEILING = 60.0


def _backend(name: str) -> web.Application:
    """Answers with its name and what it was asked, to be read back by the spec."""

    async def echo(request: web.Request) -> web.Response:
        answer = web.json_response({
            "backend": name, "method": request.method, "path_qs": request.path_qs,
            "headers": dict(request.headers), "body": (await request.read()).decode()})
        answer.set_cookie("a", "1")
        answer.set_cookie("b", "2")
        return answer

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", echo)
    return app


@pytest.fixture
async def start() -> AsyncIterator[Callable[..., object]]:
    servers: list[TestServer] = []

    async def _start(app: web.Application) -> str:
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return str(server.make_url("")).rstrip("/")

    yield _start
    for server in reversed(servers):
        await server.close()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _balancer(start, backends: list[str]) -> str:
    return await start(Balancer(backends).app())


async def test_requests_take_turns_over_the_backends(start, http):
    front = await _balancer(start, [await start(_backend("a")), await start(_backend("b"))])
    served = []
    for _ in range(4):
        async with http.get(f"{front}/healthz") as resp:
            served.append((await resp.json())["backend"])
    assert served == ["a", "b", "a", "b"]


async def test_a_backend_that_refuses_connections_is_skipped_even_for_a_post(start, http):
    nothing_there = f"http://127.0.0.1:{free_port()}"
    front = await _balancer(start, [nothing_there, await start(_backend("b"))])
    for _ in range(3):
        async with http.post(f"{front}/telegram/webhook", data=b"{}") as resp:
            assert resp.status == 200
            assert (await resp.json())["backend"] == "b"
    async with http.get(f"{front}{STATUS_PATH}") as resp:
        status = await resp.json()
    assert [b["up"] for b in status["backends"]] == [False, True]
    assert status["backends"][1]["served"] == 3


async def test_with_every_backend_refusing_the_answer_is_a_502(start, http):
    front = await _balancer(start, [f"http://127.0.0.1:{free_port()}"])
    async with http.get(f"{front}/healthz") as resp:
        assert resp.status == 502
    async with http.get(f"{front}{STATUS_PATH}") as resp:
        assert resp.status == 503


async def test_method_path_query_headers_and_body_reach_the_backend(start, http):
    front = await _balancer(start, [await start(_backend("a"))])
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret", "Content-Type": "application/json"}
    async with http.put(f"{front}/telegram/webhook?x=1&y=%20", data=b'{"update_id": 7}',
                        headers=headers) as resp:
        seen = await resp.json()
    assert seen["method"] == "PUT"
    assert seen["path_qs"] == "/telegram/webhook?x=1&y=%20"
    assert seen["headers"]["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
    assert seen["headers"]["Content-Type"] == "application/json"
    assert seen["body"] == '{"update_id": 7}'


async def test_the_answer_comes_back_with_every_header(start, http):
    front = await _balancer(start, [await start(_backend("a"))])
    async with http.get(f"{front}/") as resp:
        cookies = resp.headers.getall("Set-Cookie")
        body = await resp.json()
    assert resp.status == 200
    assert len(cookies) == 2
    assert body["backend"] == "a"


async def test_the_backend_learns_who_asked_and_over_what(start, http):
    front = await _balancer(start, [await start(_backend("a"))])
    async with http.get(f"{front}/") as resp:
        direct = (await resp.json())["headers"]
    assert direct["X-Forwarded-For"] == "127.0.0.1"
    assert direct["X-Forwarded-Proto"] == "http"


async def test_a_tls_terminator_in_front_keeps_its_forwarded_headers(start, http):
    front = await _balancer(start, [await start(_backend("a"))])
    given = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    async with http.get(f"{front}/", headers=given) as resp:
        seen = (await resp.json())["headers"]
    assert seen["X-Forwarded-For"] == "203.0.113.7, 127.0.0.1"
    assert seen["X-Forwarded-Proto"] == "https"


async def test_an_answer_is_streamed_as_the_backend_writes_it(start, http):
    """A server-sent events page must not wait for its end: the first part arrives
    while the backend still holds back the rest."""
    rest = asyncio.Event()

    async def stream(request: web.Request) -> web.StreamResponse:
        answer = web.StreamResponse()
        await answer.prepare(request)
        await answer.write(b"first\n")
        await rest.wait()
        await answer.write(b"second\n")
        return answer

    app = web.Application()
    app.router.add_get("/live", stream)
    front = await _balancer(start, [await start(app)])
    async with http.get(f"{front}/live") as resp:
        assert await asyncio.wait_for(resp.content.readline(), CEILING) == b"first\n"
        rest.set()
        assert await asyncio.wait_for(resp.content.read(), CEILING) == b"second\n"


class _NoBanner(web.Response):
    """A backend like the product's (web/server.py), which sends no `Server` header."""

    async def _prepare_headers(self) -> None:
        await super()._prepare_headers()
        self.headers.popall("Server", None)


async def test_the_balancer_adds_no_server_banner_of_its_own(start, http):
    async def quiet(_: web.Request) -> web.Response:
        return _NoBanner(text="ok")

    app = web.Application()
    app.router.add_get("/", quiet)
    front = await _balancer(start, [await start(app)])
    async with http.get(f"{front}/") as resp:
        assert await resp.text() == "ok"
        assert "Server" not in resp.headers


def _hanging_up(calls: list[str], name: str) -> web.Application:
    """A backend that drops the connection once it has read the request."""

    async def hang_up(request: web.Request) -> web.Response:
        calls.append(name)
        await request.read()
        assert request.transport is not None
        request.transport.close()
        return web.Response(text="never seen")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", hang_up)
    return app


async def test_a_post_that_reached_a_backend_is_not_sent_to_another(start, http):
    calls: list[str] = []
    front = await _balancer(start, [await start(_hanging_up(calls, "a")),
                                    await start(_hanging_up(calls, "b"))])
    async with http.post(f"{front}/telegram/webhook", data=b"{}") as resp:
        assert resp.status == 502
    assert calls == ["a"]  # Telegram delivers it again; the inbox drops a repeat


async def test_a_get_that_failed_mid_request_is_tried_on_the_next_backend(start, http):
    calls: list[str] = []
    front = await _balancer(start, [await start(_hanging_up(calls, "a")),
                                    await start(_backend("b"))])
    async with http.get(f"{front}/healthz") as resp:
        assert resp.status == 200
        assert (await resp.json())["backend"] == "b"
    assert calls  # it did reach "a" (aiohttp's client may itself try a GET there twice)
