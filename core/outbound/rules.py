"""Which windows a message counts against, per platform (the numbers from settings).

A key names the bot and the chat, so two bots sharing one Redis never share a budget.
A Telegram chat id below zero is a group, supergroup or channel; an "@name" chat id is
a public channel or supergroup: both also count against the per-group window.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.settings import OutboundSettings


@dataclass(frozen=True)
class Window:
    """At most `limit` messages in any `seconds`-long span, for everyone using `key`."""

    key: str
    limit: int
    seconds: float
    pausable: bool = True  # a 429 about this chat pauses this window


def is_group(chat_id: int | str) -> bool:
    text = str(chat_id)
    return text.startswith(("-", "@"))


def telegram_windows(settings: OutboundSettings, bot_id: str, chat_id: int | str
                     ) -> list[Window]:
    """The bot-wide, per-chat and (for groups) per-group windows of one message."""
    windows = [
        Window(f"tg:{bot_id}:bot", settings.telegram_per_second, 1.0, pausable=False),
        Window(f"tg:{bot_id}:chat:{chat_id}", settings.telegram_chat_messages,
               settings.telegram_chat_seconds),
    ]
    if is_group(chat_id):
        windows.append(Window(f"tg:{bot_id}:group:{chat_id}",
                              settings.telegram_group_per_minute, 60.0))
    return windows


def discord_windows(settings: OutboundSettings, bot_id: int | str, channel_id: int | str
                    ) -> list[Window]:
    """One Discord channel (a DM is a channel too)."""
    return [Window(f"dc:{bot_id}:channel:{channel_id}", settings.discord_channel_messages,
                   settings.discord_channel_seconds)]
