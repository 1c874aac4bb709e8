"""How many chat events per second the dispatcher handles, end to end.

Each event is a full unit of work: find the user, load the conversation row, run the
flow, persist state, commit. Run: `.venv/bin/python bench/conversation/run.py
[--users 50] [--rounds 4] [--database-url URL]` (default: a temporary SQLite file).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bot.app import build_dispatcher
from bot.console import ConsoleChannel, ConsoleChat
from core.bootstrap import open_core
from core.settings import Settings
from core.users import Who


async def one_user(chat: ConsoleChat, latencies: list[float]) -> None:
    for line in ("/start", "2", "1", "/help", "/start"):  # greet, NSFW, confirm, help, menu
        started = time.perf_counter()
        await chat.say(line)
        latencies.append(time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        settings = Settings(
            app={"data_dir": tmp, "log_level": "WARNING"},
            database={"url": url},
            security={"secret_key": "bench-only-secret-key-" + "x" * 16},
        )
        async with open_core(settings) as core:
            dispatcher = build_dispatcher(core)
            latencies: list[float] = []
            started = time.perf_counter()
            for r in range(args.rounds):
                chats = [
                    ConsoleChat(
                        dispatcher, Who("console", f"r{r}u{i}"), ConsoleChannel(lambda _: None)
                    )
                    for i in range(args.users)
                ]
                await asyncio.gather(*(one_user(c, latencies) for c in chats))
            elapsed = time.perf_counter() - started
    latencies.sort()
    n = len(latencies)
    print(f"database: {url.split(':', 1)[0]}")
    print(f"events: {n} from {args.users * args.rounds} users ({args.users} concurrent)")
    print(f"throughput: {n / elapsed:.0f} events/s")
    print(f"latency p50: {statistics.median(latencies) * 1000:.1f} ms")
    print(f"latency p99: {latencies[int(n * 0.99) - 1] * 1000:.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
