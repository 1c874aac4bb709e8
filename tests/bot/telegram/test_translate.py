"""Telegram updates as flow events (bot.telegram.translate): each event carries the
platform's own id, the same however often the update is delivered or processed, so a
charge it makes is keyed once (tests/bot/telegram/test_replayed_press.py)."""

from __future__ import annotations

from typing import Any

from telegram import Bot, Update

from bot.conversation.events import ButtonPress, Command, Text
from bot.telegram.translate import to_event

ALICE = {"id": 42, "is_bot": False, "first_name": "Alice"}
CHAT = {"id": 42, "type": "private"}


def _event(data: dict[str, Any]) -> Any:
    return to_event(Update.de_json(data, Bot("123:TEST")))


def _message(message_id: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {"message_id": message_id, "date": 1_764_000_000,
                               "chat": CHAT, "from": ALICE, "text": text}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return message


def test_a_message_is_named_by_its_chat_and_message_id() -> None:
    first = _event({"update_id": 1, "message": _message(7, "sunny beach")})
    again = _event({"update_id": 1, "message": _message(7, "sunny beach")})
    other = _event({"update_id": 2, "message": _message(8, "/caption")})
    assert isinstance(first, Text)
    assert isinstance(other, Command)
    assert first.event_id == again.event_id == "telegram:42:7"
    assert other.event_id == "telegram:42:8"


def test_a_button_press_is_named_by_its_callback_query() -> None:
    press = {"id": "4711", "from": ALICE, "chat_instance": "ci", "data": "x",
             "message": _message(7, "Captions for …")}
    event = _event({"update_id": 3, "callback_query": press})
    assert isinstance(event, ButtonPress)
    assert event.event_id == "telegram:cb:4711"


def test_adult_content_is_for_the_private_chat_only() -> None:
    private = _event({"update_id": 4, "message": _message(9, "sunny beach")})
    in_group = _message(10, "sunny beach")
    in_group["chat"] = {"id": -100, "type": "supergroup", "title": "Creators"}
    shared = _event({"update_id": 5, "message": in_group})
    assert private.adult_place is True
    assert shared.adult_place is False
