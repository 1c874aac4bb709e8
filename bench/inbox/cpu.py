"""CPU the inbox costs per update on PostgreSQL, next to a floor in the same run.

One update's inbox work, as a consuming process does it for a free chat: record it and
take it (`Inbox.record_and_claim`), then mark it done and look for its chat's next one
(`Inbox.finish`). The floor runs the very same SQL (compiled from the same statements)
straight through asyncpg on one connection: what those round trips cost without
SQLAlchemy, its pool and our code. CPU is this process's (`time.process_time`), so other
tenants of a shared machine move it less than wall time; each figure is the best of
--rounds rounds of --updates updates. Statements and transactions per update are
counted from the engine's events.

Run: `.venv/bin/python bench/inbox/cpu.py [--updates 1500] [--rounds 3]
[--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
LEASE = timedelta(seconds=20)
CHATS = 50
FIRST = 987_654_321  # the counted update's id: easy to find among the parameters sent


async def best_of(rounds: int, updates: int, one: Callable[[int], Awaitable[object]],
                  first: int) -> float:
    """Best CPU ms per update over `rounds` rounds (update ids from `first` on)."""
    best = float("inf")
    for r in range(rounds):
        started = time.process_time()
        for i in range(first + r * updates, first + (r + 1) * updates):
            await one(i)
        best = min(best, (time.process_time() - started) * 1000 / updates)
    return best


async def measure(args: argparse.Namespace) -> tuple[float, float, int, int]:
    """CPU ms per update through core.inbox and through raw asyncpg (the floor), and
    the statements and commits one update took through core.inbox."""
    import asyncpg
    from sqlalchemy import event

    from core.clock import SystemClock
    from core.db.database import Database
    from core.db.migrate import upgrade
    from core.inbox.store import Inbox, Incoming

    base, name = args.database_url.rsplit("/", 1)[0], f"bench_inbox_cpu_{os.getpid()}"
    admin = await asyncpg.connect(args.database_url.replace("+asyncpg", ""))
    await admin.execute(f"CREATE DATABASE {name}")
    db = Database(f"{base}/{name}")
    try:
        await upgrade(db)
        inbox = Inbox(db, SystemClock(), "telegram", "1")

        def incoming(i: int) -> Incoming:
            return Incoming(i, str(i % CHATS), {"update_id": i, "message": {"text": "hi"}})

        async def through_inbox(i: int) -> int:
            _, taken = await inbox.record_and_claim(incoming(i), "bench", LEASE)
            assert taken is not None, "a free chat's update is taken as it is recorded"
            await inbox.finish(taken.id, taken.token, chat_key=str(i % CHATS))
            return taken.id

        counted = {"statements": 0, "commits": 0}
        sent: list[tuple[str, list[Any]]] = []  # the SQL and parameters as asyncpg got them
        engine = db.engine.sync_engine

        def on_statement(_c: Any, _cur: Any, statement: str, parameters: Any,
                         *_: Any) -> None:
            counted["statements"] += 1
            sent.append((statement, list(parameters)))

        def on_commit(*_: Any) -> None:
            counted["commits"] += 1

        event.listen(engine, "before_cursor_execute", on_statement)
        event.listen(engine, "commit", on_commit)
        first_id = await through_inbox(FIRST)
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "commit", on_commit)
        for i in range(1, 100):  # warm: prepared statements, pool
            await through_inbox(i)
        ours = await best_of(args.rounds, args.updates, through_inbox, 1_000)

        # The floor replays the statements just sent, with each update's own id (and
        # row id) where the first update's stood.
        raw = await asyncpg.connect(f"{base}/{name}".replace("+asyncpg", ""))
        assert len(sent) == 3, sent  # record and take, done mark, look

        async def replay(which: int, swap: dict[Any, Any]) -> Any:
            text, values = sent[which]
            return await raw.fetchrow(text, *(
                swap.get(v, v) if isinstance(v, int | str) and not isinstance(v, bool)
                else v for v in values))

        async def floor(i: int) -> None:
            chat = {str(FIRST % CHATS): str(i % CHATS)}
            row = await replay(0, {FIRST: i, **chat})
            assert row["status"] == "running", "the floor takes its update as it records"
            await replay(1, {first_id: row["id"]})
            await replay(2, {first_id: row["id"], **chat})

        try:
            for i in range(100_000, 100_100):  # warm the connection's statement cache
                await floor(i)
            bare = await best_of(args.rounds, args.updates, floor, 200_000)
        finally:
            await raw.close()
    finally:
        await db.dispose()
        await admin.execute(f"DROP DATABASE IF EXISTS {name}")
        await admin.close()
    return ours, bare, counted["statements"], counted["commits"]


async def main(args: argparse.Namespace) -> None:
    ours, bare, statements, commits = await measure(args)
    print(f"inbox work per update (record and take, done mark, look for the chat's next), "
          f"best of {args.rounds} x {args.updates}; {os.cpu_count()} CPUs")
    print(f"{'':<34}{'cpu ms/update':>14}{'statements':>12}{'transactions':>14}")
    print(f"{'core.inbox (SQLAlchemy, pool)':<34}{ours:>14.3f}{statements:>12}{commits:>14}")
    print(f"{'floor (same SQL, raw asyncpg)':<34}{bare:>14.3f}{3:>12}{0:>14}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get(
        "THOTTOPILOT_TEST_POSTGRES_URL", DEFAULT_PG))
    asyncio.run(main(parser.parse_args()))
