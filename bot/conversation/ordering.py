"""Per-chat ordering and the SQLite one-writer rule, for every chat transport.

Flows are step machines, so one chat's events must be handled one at a time and in
arrival order (the subreddit list before the title); different people must not wait
for each other. `ChatSerializer.run(key, work)` gives exactly that: a lock per chat
key (transport, chat id), taken in arrival order, and a bound on how many chats run
at once. Adapters (Telegram, Discord, the web chat, the inbox consumer) share one
serializer per process, so the bound holds across all of them.

The bound is the database's: SQLite lets one transaction write at a time, so there
events run one by one rather than time out waiting for its lock; PostgreSQL takes
many. Across processes (webhook scale-out) the conversation row's optimistic version
check is what stops two updates from both applying.

Waiting chats hold no running slot: the chat's lock is taken first, then a slot, so
one busy chat's queue can never stall everyone else.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Hashable
from typing import TypeVar

T = TypeVar("T")

ChatKey = tuple[str, str]  # (transport, chat id)

RUNNING = 32  # chats handled at once on a database with concurrent writers
RUNNING_SQLITE = 1  # SQLite: one writer at a time


def running_limit(dialect: str) -> int:
    """How many chats may run at once on this database."""
    return RUNNING_SQLITE if dialect == "sqlite" else RUNNING


class ChatSerializer:
    def __init__(self, running: int) -> None:
        if running < 1:
            raise ValueError("running must be at least 1")
        self._running = asyncio.Semaphore(running)
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._holders: Counter[Hashable] = Counter()

    @classmethod
    def for_database(cls, dialect: str) -> ChatSerializer:
        return cls(running_limit(dialect))

    @property
    def chats_in_line(self) -> int:
        """Chats with work running or waiting (idle chats are forgotten)."""
        return len(self._locks)

    async def run(self, key: Hashable | None, work: Awaitable[T]) -> T:
        """Await `work` after every earlier `run` of the same key has finished.

        `key=None` (an event that belongs to no chat) only waits for a running slot.
        Callers must call `run` in arrival order: nothing here awaits before the lock
        is queued for, so order of calls is order of handling.
        """
        if key is None:
            async with self._running:
                return await work
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] += 1
        try:
            async with lock, self._running:
                return await work
        finally:
            self._holders[key] -= 1
            if not self._holders[key]:  # forget idle chats: memory stays bounded
                del self._holders[key]
                del self._locks[key]
