"""Scheduler notices in `thottopilot chat`: printed in the terminal of the local creator.

The terminal is a chat like any other, so a scheduled post going live (or failing)
while someone is chatting is told there, through the same outbox as Telegram: claimed,
said once, retried if printing failed. Other people's notices are not ours (`False`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.posting.outbox import Notice
from core.texts import schedule as ts

if TYPE_CHECKING:
    from bot.console import ConsoleChannel


class ConsoleDeliverer:
    name = "console"

    def __init__(self, channel: ConsoleChannel, user_id: int) -> None:
        self._channel = channel
        self._user_id = user_id

    async def deliver(self, notice: Notice) -> bool:
        if notice.user_id != self._user_id:
            return False
        self._channel.say(ts.notice_text(notice.kind, notice.payload))
        return True
