"""python-telegram-bot's HTTP backend: PTB's default HTTPXRequest next to
core.telegram_http.AiohttpRequest, and a floor (a bare aiohttp ClientSession POST).

Each backend sends `--calls` sendMessage calls through a real `telegram.Bot` (the floor:
the same form-encoded POST, body read, no Bot) to the local fake Bot API
(tests/fakes/telegram.py), `--concurrency` at a time. The fake runs in a child process,
so "cpu ms/call" (time.process_time: user + system of this process) is the client's
cost alone: the figure that matters on a busy `serve` process (issue 17). calls/s is
wall clock and moves with the machine's load; rounds are interleaved and the median of
`--rounds` is printed.

Run: `.venv/bin/python bench/telegram_http/run.py [--calls 2000] [--concurrency 8]
[--rounds 3]`. Figures: bench/telegram_http/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from subprocess import PIPE

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from core.telegram_http import bot_requests  # noqa: E402
from tests.fakes.telegram import FakeTelegram  # noqa: E402

TEXT = "Your captions are ready ✨ pick one below"


async def serve_fake() -> None:
    """Child process: the fake Bot API until stdin closes; prints its URL and token."""
    fake = FakeTelegram()
    await fake.start()
    print(fake.base_url, fake.token, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await fake.close()


async def measure(send: Callable[[], Awaitable[object]], calls: int,
                  concurrency: int) -> tuple[float, float]:
    """(calls/s, CPU ms per call) for `calls` sends, `concurrency` in flight."""
    for _ in range(50):  # warm-up: connections open, caches full
        await send()
    left = calls

    async def lane() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await send()

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(lane() for _ in range(concurrency)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return calls / wall, cpu * 1000 / calls


async def floor(base_url: str, token: str, calls: int, concurrency: int) -> tuple[float, float]:
    url = f"{base_url}{token}/sendMessage"
    async with aiohttp.ClientSession() as session:

        async def send() -> bytes:
            async with session.post(url, data={"chat_id": "42", "text": TEXT}) as resp:
                return await resp.read()

        return await measure(send, calls, concurrency)


async def through_bot(bot: Bot, calls: int, concurrency: int) -> tuple[float, float]:
    async with bot:
        return await measure(lambda: bot.send_message(chat_id=42, text=TEXT), calls,
                             concurrency)


async def main(args: argparse.Namespace) -> None:
    child = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve", stdin=PIPE, stdout=PIPE)
    assert child.stdout is not None
    assert child.stdin is not None
    base_url, token = (await child.stdout.readline()).decode().split()
    backends: dict[str, Callable[[], Awaitable[tuple[float, float]]]] = {
        "floor (bare aiohttp POST)": lambda: floor(base_url, token, args.calls,
                                                   args.concurrency),
        "PTB HTTPXRequest (default)": lambda: through_bot(
            Bot(token, base_url=base_url, request=HTTPXRequest()), args.calls,
            args.concurrency),
        "PTB AiohttpRequest (ours)": lambda: through_bot(
            Bot(token, base_url=base_url, **bot_requests()), args.calls, args.concurrency),
    }
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in backends}
    try:
        for _ in range(args.rounds):
            for name, run in backends.items():
                results[name].append(await run())
    finally:
        child.stdin.close()
        await child.wait()
    print(f"{args.calls} sendMessage calls, {args.concurrency} in flight, "
          f"median of {args.rounds} rounds")
    print(f"{'backend':<28} {'calls/s':>9} {'cpu ms/call':>12}")
    for name, rows in results.items():
        rate = statistics.median(r for r, _ in rows)
        cpu = statistics.median(c for _, c in rows)
        print(f"{name:<28} {rate:>9,.0f} {cpu:>12.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    asyncio.run(serve_fake() if arguments.serve else main(arguments))
