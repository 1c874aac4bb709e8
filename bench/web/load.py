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
async def hello(request):
    return web.json_response({"status": "ok"})
app = web.Application()
app.router.add_get("/healthz", hello)
app.router.add_get("/json", hello)
print("ready", flush=True)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
"""


@dataclass(frozen=True)
class Load:
    p50_ms: float
    p99_ms: float
    rps: float
    errors: int  # answers other than 200


async def _hammer(url: str, requests: int, concurrency: int,
                  cookies: dict[str, str]) -> Load:
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
    samples.sort()
    return Load(statistics.median(samples), samples[max(0, int(len(samples) * 0.99) - 1)],
                len(samples) / wall, errors)


def hammer(url: str, requests: int, concurrency: int,
           cookies: dict[str, str] | None = None) -> Load:
    return asyncio.run(_hammer(url, requests, concurrency, cookies or {}))
