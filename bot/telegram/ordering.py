"""The key Telegram updates are ordered by: ("telegram", chat id).

Ordering itself is transport-neutral (`bot.conversation.ordering.ChatSerializer`) and
durable across processes (`core.inbox` claims only a chat's oldest open update); this
module only says which chat an update belongs to.
"""

from __future__ import annotations

from telegram import Update

from bot.conversation.ordering import ChatKey

TRANSPORT = "telegram"


def chat_key(update: object) -> ChatKey | None:
    """The chat an update belongs to; None for updates without one (they run freely)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return (TRANSPORT, str(update.effective_chat.id))
    return None
