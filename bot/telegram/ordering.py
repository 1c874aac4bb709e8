"""Update processing for python-telegram-bot: concurrent across chats, in order per chat.

PTB's stock `concurrent_updates(n)` runs any n updates at once, so two messages a
person types quickly could be handled out of order (the subreddit list before the
title). Flows are step machines, so one chat's updates must be handled one at a time
and in arrival order; different people still don't wait for each other.

Within one process this lock keeps order. Across processes (webhook scale-out) the
conversation row's optimistic version check is what stops two updates from both
applying; the loser is told to send it again.

PTB takes its own concurrency slot before handing us an update, so updates queued
behind one busy chat would hold slots and stall everyone else. We therefore give PTB a
large bound (how many updates may wait) and limit the updates actually *running*
ourselves, after the chat's lock.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def chat_key(update: object) -> int | None:
    """The chat an update belongs to; None for updates without one (they run freely)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


QUEUED_UPDATES = 4096  # PTB's bound: updates accepted and waiting, across all chats


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, running: int, queued: int = QUEUED_UPDATES) -> None:
        super().__init__(queued)
        self._running = asyncio.Semaphore(running)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: Counter[int] = Counter()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        # PTB's slot semaphore is FIFO and effectively free (large bound), and nothing
        # else awaits before this lock, so one chat's tasks reach it in arrival order.
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] += 1
        try:
            async with lock, self._running:
                await coroutine
        finally:
            self._holders[key] -= 1
            if not self._holders[key]:  # forget idle chats: memory stays bounded
                del self._holders[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up: locks are made per chat on demand."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for running updates before calling this."""
