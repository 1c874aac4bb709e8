"""Telegram updates are ordered per ("telegram", chat id); chatless ones run freely."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.telegram.ordering import chat_key


def _update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "Alice", is_bot=False)
    chat = Chat(chat_id, Chat.PRIVATE)
    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="hi")
    return Update(update_id, message=message)


def test_an_update_is_keyed_by_transport_and_chat():
    assert chat_key(_update(1, chat_id=7)) == ("telegram", "7")


def test_an_update_without_a_chat_has_no_key():
    assert chat_key(Update(2)) is None
