"""A person chatting through the fake Bot API: type, send photos, tap buttons by label.

Reads the bot's real `sendMessage` / `editMessageText` calls, so a journey test sees
exactly what python-telegram-bot put on the wire.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tests.fakes.telegram import Call, FakeTelegram

SHOWN = ("sendMessage", "editMessageText", "sendDocument", "sendPhoto")


class TelegramUser:
    def __init__(self, fake: FakeTelegram, user_id: int = 42) -> None:
        self.fake = fake
        self.user_id = user_id
        self._seen = 0

    def _shown(self) -> list[Call]:
        return [c for c in self.fake.calls if c.method in SHOWN]

    async def expect(self, fragment: str, within: float = 10.0) -> Call:
        """Wait for a new message (or edit) containing `fragment`; returns that call."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            for n, call in enumerate(self._shown()[self._seen:], start=self._seen):
                text = call.params.get("text") or call.params.get("caption") or ""
                if fragment in text:
                    self._seen = n + 1
                    return call
            if asyncio.get_running_loop().time() > deadline:
                shown = [c.params.get("text") for c in self._shown()[self._seen:]]
                raise AssertionError(f"bot never said {fragment!r}; it said {shown}")
            await asyncio.sleep(0.02)

    async def say(self, text: str) -> None:
        await self.fake.send_text(text, user_id=self.user_id)

    async def send_photo(self, data: bytes, caption: str = "") -> None:
        await self.fake.send_photo(data, caption, user_id=self.user_id)

    async def tap(self, call: Call, label: str) -> None:
        """Press the callback button labelled `label` on the message `call` sent."""
        await self.fake.press(message_of(call), _button(call, label)["callback_data"],
                              user_id=self.user_id)

    @staticmethod
    def url_of(call: Call, label: str) -> str:
        return str(_button(call, label)["url"])


def _button(call: Call, label: str) -> dict[str, Any]:
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    for row in rows:
        for button in row:
            if button["text"] == label:
                return dict(button)
    labels = [b["text"] for row in rows for b in row]
    raise AssertionError(f"no button {label!r}; buttons are {labels}")


def message_of(call: Call) -> dict[str, Any]:
    """The message a call sent, as the bot got it back (what a button press carries)."""
    result = call.result
    return result if isinstance(result, dict) else {}
