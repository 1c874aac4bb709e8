"""python-telegram-bot's update processor, as a thin wrapper over `ChatSerializer`.

PTB's stock `concurrent_updates(n)` runs any n updates at once, so two messages a
person types quickly could be handled out of order. The ordering rule itself is
transport-neutral (`bot.conversation.ordering`); this only tells PTB to hand each
update to it, keyed by ("telegram", chat id).

PTB takes its own concurrency slot before handing us an update, so its bound is large
(how many updates may wait); the serializer bounds how many actually run.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.conversation.ordering import ChatKey, ChatSerializer

TRANSPORT = "telegram"
QUEUED_UPDATES = 4096  # PTB's bound: updates accepted and waiting, across all chats


def chat_key(update: object) -> ChatKey | None:
    """The chat an update belongs to; None for updates without one (they run freely)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return (TRANSPORT, str(update.effective_chat.id))
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, serializer: ChatSerializer, queued: int = QUEUED_UPDATES) -> None:
        super().__init__(queued)
        self.serializer = serializer

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # PTB's slot semaphore is FIFO and effectively free (large bound), and nothing
        # else awaits before the serializer queues for the chat's lock, so one chat's
        # updates reach it in arrival order.
        await self.serializer.run(chat_key(update), coroutine)

    async def initialize(self) -> None:
        """Nothing to set up: locks are made per chat on demand."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for running updates before calling this."""
