"""discord.py objects -> transport-neutral events (pure functions, no I/O).

Where a conversation lives: a DM is its own chat; in a server, each channel is a
chat and each person in it has their own conversation (state is keyed by chat and
user), so `ordering_key` includes the user and people in one busy channel never wait
for each other. Adult content is allowed in the bot's own DM and in age-restricted
server channels only (`Inbound.adult_place`). A group DM, or a DM between two people
(where Discord delivers a user-installed app's commands, context PRIVATE_CHANNEL), has
no server either, but it is shared with people other than the bot: it counts as a
shared place (not adult-allowed, replies private), like a server channel without an
age restriction. The commands are declared for servers and the bot's DM only
(bot.discord.commands), so Discord should not send those at all.
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


def is_bots_dm(interaction: discord.Interaction[Any]) -> bool:
    """Whether the interaction comes from the person's own DM with the bot: no server,
    and Discord says so (context BOT_DM). A group DM or a DM between people (context
    PRIVATE_CHANNEL), is not. Without a context (older payloads): a DM channel whose
    other party is the person."""
    if interaction.guild_id is not None:
        return False
    context, channel = interaction.context, interaction.channel
    if context.guild or context.dm_channel or context.private_channel:
        return context.dm_channel and not context.private_channel
    return (isinstance(channel, discord.DMChannel) and channel.recipient is not None
            and channel.recipient.id == interaction.user.id)


def is_adult_place(channel: object, shared: bool) -> bool:
    """The bot's own DM (`shared` False), and server channels marked age-restricted
    (threads follow their parent). A group DM has no age restriction to ask."""
    if not shared:
        return True
    is_nsfw = getattr(channel, "is_nsfw", None)
    return bool(is_nsfw()) if callable(is_nsfw) else False


def chat_of(interaction: discord.Interaction[Any]) -> tuple[str, bool]:
    """(chat id, shared with others?) for an interaction: shared is a server channel,
    or any private channel other than the person's DM with the bot."""
    return str(interaction.channel_id or interaction.user.id), not is_bots_dm(interaction)


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
