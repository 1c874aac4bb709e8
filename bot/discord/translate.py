"""discord.py objects -> transport-neutral events (pure functions, no I/O).

Where a conversation lives: a DM is its own chat; in a server, each channel is a
chat and each person in it has their own conversation (state is keyed by chat and
user), so `ordering_key` includes the user and people in one busy channel never wait
for each other. Adult content is allowed in DMs and in age-restricted channels only
(`Inbound.adult_place`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from bot.conversation.events import FileRef
from core.users import Who

TRANSPORT = "discord"


def who_of(user: discord.abc.User, locale: str | None = None) -> Who:
    return Who(TRANSPORT, str(user.id), display_name=user.display_name,
               username=user.name, language=locale)


def is_adult_place(channel: object, in_guild: bool) -> bool:
    """DMs, and server channels marked age-restricted (threads follow their parent)."""
    if not in_guild:
        return True
    is_nsfw = getattr(channel, "is_nsfw", None)
    return bool(is_nsfw()) if callable(is_nsfw) else False


def chat_of(interaction: discord.Interaction[Any]) -> tuple[str, bool]:
    """(chat id, in a server?) for an interaction."""
    return str(interaction.channel_id or interaction.user.id), interaction.guild_id is not None


def ordering_key(chat_id: str, user_id: int) -> tuple[str, str]:
    return (TRANSPORT, f"{chat_id}/{user_id}")


def file_ref(attachment: discord.Attachment) -> FileRef:
    """An attachment addressed by its URL (fetched on demand, size known up front)."""
    mime = attachment.content_type or None
    return FileRef(TRANSPORT, attachment.url, filename=attachment.filename, mime_type=mime,
                   size=attachment.size, is_photo=bool(mime and mime.startswith("image/")))


def modal_text(data: Mapping[str, Any] | None) -> str:
    """Every text input's value in a modal submission, joined (we ask one question)."""
    values: list[str] = []

    def walk(items: Any) -> None:
        for item in items or []:
            if isinstance(item, Mapping):
                if isinstance(item.get("value"), str):
                    values.append(item["value"])
                walk(item.get("components"))
                if isinstance(item.get("component"), Mapping):
                    walk([item["component"]])

    walk((data or {}).get("components"))
    return "\n".join(values)
