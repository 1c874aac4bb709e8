"""Update processing for python-telegram-bot: concurrent across chats, in order per chat.

PTB's stock `concurrent_updates(n)` runs any n updates at once, so two messages a
person types quickly could be handled out of order (the subreddit list before the
title). Flows are step machines, so one chat's updates must be handled one at a time
and in arrival order; different people still don't wait for each other.

Within one process this lock keeps order. Across processes (webhook scale-out) the
conversation row's optimistic version check is what stops two updates from both
applying; the loser is told to send it again.
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


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: Counter[int] = Counter()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        # No await before the lock: tasks reach it in the order PTB created them.
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] += 1
        try:
            async with lock:
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
