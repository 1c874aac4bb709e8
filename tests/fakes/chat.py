"""Drive flows in-process through the console adapter, as a person would.

Every reply the driver sees is checked against the strictest transport's keyboard
limits (`FLOW_LIMITS`: Discord's 5 rows of 5): the console channel refuses a keyboard
that breaks them and the driver fails the test on the spot, so every flow test is
also a layout test.
"""

from __future__ import annotations

import asyncio

from bot.console import ConsoleChannel, ConsoleChat, Sent
from bot.conversation.dispatcher import Dispatcher
from bot.conversation.replies import Button
from core.texts import common
from core.users import Who


class ChatDriver:
    """One user's chat. `send` types a line, `press` taps a button by its label."""

    def __init__(self, dispatcher: Dispatcher, external_id: str = "alice", name: str = "Alice",
                 channel: ConsoleChannel | None = None):
        self.output: list[str] = []
        self.channel = channel or ConsoleChannel(out=self.output.append)
        self.chat = ConsoleChat(
            dispatcher, Who("console", external_id, display_name=name), self.channel
        )

    @property
    def replies(self) -> list[Sent]:
        return list(self.channel.messages.values())

    @property
    def last(self) -> Sent:
        return self.replies[-1]

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.replies]

    def _fits(self) -> None:
        assert not self.channel.layout_errors, (
            f"a reply breaks the keyboard limits: {self.channel.layout_errors}")

    async def send(self, line: str) -> Sent:
        before = len(self.channel.messages)
        await self.chat.say(line)
        self._fits()
        assert len(self.channel.messages) > before, f"no reply to {line!r}"
        return self.last

    def button(self, label: str) -> Button:
        """The button whose label contains `label`, from the newest message that has one."""
        for sent in reversed(self.replies):
            for b in sent.buttons:
                if label.lower() in b.label.lower():
                    return b
        raise AssertionError(f"no button {label!r}; have {[b.label for b in self._all()]}")

    async def press(self, label: str) -> Sent:
        before = len(self.channel.messages)
        await self.chat.press_button(self.button(label))
        self._fits()
        assert len(self.channel.messages) > before, f"no reply to pressing {label!r}"
        return self.last

    async def every_page(self) -> list[Button]:
        """The latest message's buttons and those of every later page (pressing More
        until there is none), without the paging buttons themselves."""
        nav = (common.NEXT_PAGE.split("{")[0].strip(), common.PREV_PAGE)
        found = list(self.last.buttons)
        while (more := next((b for b in self.last.buttons
                             if b.label.startswith(nav[0])), None)) is not None:
            await self.press_payload(more.payload or "")
            found += self.last.buttons
        return [b for b in found if not b.label.startswith(nav)]

    async def press_payload(self, payload: str) -> Sent:
        await self.chat.press_button(Button("raw", payload=payload))
        self._fits()
        return self.last

    async def upload(
        self,
        data: bytes,
        filename: str = "photo.jpg",
        mime: str = "image/jpeg",
        caption: str = "",
        *,
        photo: bool = True,
    ) -> Sent:
        await self.chat.upload(data, filename, mime, caption, photo=photo)
        self._fits()
        return self.last

    def _all(self) -> list[Button]:
        return [b for s in self.replies for b in s.buttons]


async def another_creator_says_hi(dispatcher: Dispatcher, within: float = 60.0) -> Sent:
    """Bob sends /start while someone else's update is mid-way; returns the greeting.

    For specs that no transaction is held across slow outside work: on SQLite Bob would
    otherwise wait for the write lock (and time out) instead of being greeted.
    """
    bob = ChatDriver(dispatcher, external_id="bob", name="Bob")
    greeting = await asyncio.wait_for(bob.send("/start"), timeout=within)
    assert "Hi Bob" in greeting.text
    return greeting
