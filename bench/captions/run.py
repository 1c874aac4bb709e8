"""How fast the offline caption writer answers, through the whole `CaptionService`.

Two measurements, each a batch of 3 options per request:
- engine: safety gate -> offline writer -> fitting -> output gate, no database (what the
  CLI does for the operator);
- stored: the chat path for one signed-in creator on SQLite: quota count, voice and
  no-repeat history load, the write, and the batch saved (history grows as it runs).

Briefs rotate through descriptions, tones, styles and platforms. Run:
`.venv/bin/python bench/captions/run.py [--requests 2000] [--stored 300]`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from core.bootstrap import open_core
from core.captions import CaptionBrief, Platform
from core.captions.catalog import STYLES, TONES, keys
from core.settings import Settings
from core.users import Who

DESCRIPTIONS = (
    "red dress, rooftop at sunset",
    "gym selfie after leg day",
    "black lace, candlelight",
    "beach day in a yellow bikini",
    "cosplay as a space pirate at the convention",
    "cozy sweater, coffee, rainy window",
)


def briefs() -> itertools.cycle[CaptionBrief]:
    combos = itertools.product(DESCRIPTIONS, keys(TONES), keys(STYLES), list(Platform))
    return itertools.cycle(
        [CaptionBrief(d, platform=p, tone=t, style=s) for d, t, s, p in combos]
    )


Request = Callable[[CaptionBrief], Awaitable[int]]


async def timed(n: int, one: Request) -> tuple[float, list[float], int]:
    """Run `one` n times; total seconds, per-request latencies and options produced."""
    source = briefs()
    latencies: list[float] = []
    options = 0
    started = time.perf_counter()
    for _ in range(n):
        brief = next(source)
        t0 = time.perf_counter()
        options += await one(brief)
        latencies.append(time.perf_counter() - t0)
    return time.perf_counter() - started, latencies, options


def report(name: str, elapsed: float, latencies: list[float], options: int) -> None:
    latencies = sorted(latencies)
    n = len(latencies)
    p99 = latencies[max(int(n * 0.99) - 1, 0)]
    print(f"{name}: {n} requests, {options} captions in {elapsed:.2f} s")
    print(f"  throughput: {options / elapsed:.0f} captions/s ({n / elapsed:.0f} requests/s)")
    print(f"  latency p50: {statistics.median(latencies) * 1000:.2f} ms, "
          f"p99: {p99 * 1000:.2f} ms")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000, help="engine-only requests")
    parser.add_argument("--stored", type=int, default=300, help="stored (SQLite) requests")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            app={"data_dir": tmp, "log_level": "WARNING"},
            database={"url": f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"},
            security={"secret_key": "bench-only-secret-key-" + "x" * 16},
            limits={"captions_per_day": {"free": None}},
        )
        async with open_core(settings) as core:
            captions = core.captions

            async def engine(brief: CaptionBrief) -> int:
                return len((await captions.generate(None, None, brief)).options)

            await timed(50, engine)  # warm-up: imports, regex compilation, caches
            report("engine (offline, no database)", *await timed(args.requests, engine))

            async with core.db.session() as session:
                user, _ = await core.users.get_or_create(session, Who("bench", "creator"))

            async def stored(brief: CaptionBrief) -> int:
                async with core.db.session() as session:
                    me = await core.users.get(session, user.id)
                    return len((await captions.generate(session, me, brief)).options)

            report("stored (offline, SQLite, one creator)", *await timed(args.stored, stored))


if __name__ == "__main__":
    asyncio.run(main())
