"""An in-process load generator (aiohttp client, keep-alive) and a bare aiohttp floor.

Pure Python so it runs wherever the project does; the same generator drives our
server and the floor, so its own cost is in both numbers and the ratio is fair.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

import aiohttp

BARE_SERVER = """
import sys
from aiohttp import web
PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="description" content="A bare page: the floor for Lighthouse.">'
        '<title>Floor</title></head><body><main><h1>Hello</h1>'
        '<p>Nothing else on this page.</p></main></body></html>')
async def hello(request):
    return web.json_response({"status": "ok"})
async def page(request):
    return web.Response(text=PAGE, content_type="text/html")
app = web.Application()
app.router.add_get("/healthz", hello)
app.router.add_get("/json", hello)
app.router.add_get("/page", page)
print("ready", flush=True)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
"""


@dataclass(frozen=True)
class Load:
    p50_ms: float
    p99_ms: float
    rps: float
    errors: int  # answers other than 200


@dataclass
class _Run:
    samples: list[float]
    wall: float
    errors: int


async def _hammer(url: str, requests: int, concurrency: int,
                  cookies: dict[str, str]) -> _Run:
    samples: list[float] = []
    errors = 0
    left = requests
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, cookies=cookies) as session:

        async def one() -> None:
            nonlocal errors
            started = time.perf_counter()
            async with session.get(url) as resp:
                await resp.read()
                if resp.status != 200:
                    errors += 1
            samples.append((time.perf_counter() - started) * 1000)

        async def worker() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                await one()

        for _ in range(min(200, requests)):  # warm-up: connections, caches, first reads
            await one()
        samples.clear()
        errors = 0
        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - began
    return _Run(samples, wall, errors)


def _summary(runs: list[_Run]) -> Load:
    samples = sorted(x for r in runs for x in r.samples)
    return Load(statistics.median(samples), samples[max(0, int(len(samples) * 0.99) - 1)],
                len(samples) / sum(r.wall for r in runs), sum(r.errors for r in runs))


def side_by_side(ours: str, floor: str, requests: int, concurrency: int,
                 cookies: dict[str, str] | None = None, rounds: int = 3) -> tuple[Load, Load]:
    """Ours and the floor in alternating rounds (ours, floor, ours, ...), so a change in
    the machine's load during the run falls on both alike."""
    mine: list[_Run] = []
    bare: list[_Run] = []
    for _ in range(rounds):
        mine.append(asyncio.run(_hammer(ours, requests // rounds, concurrency, cookies or {})))
        bare.append(asyncio.run(_hammer(floor, requests // rounds, concurrency, {})))
    return _summary(mine), _summary(bare)
