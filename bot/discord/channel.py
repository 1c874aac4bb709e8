"""Outbound side of the Discord adapter: our `Reply` -> followups, edits, DMs.

An interaction is acknowledged (deferred) before the flow runs; everything the flow
says then goes out as followup messages (valid 15 minutes) and `edit` edits one of
them, which is how progress is shown. In a server every reply is ephemeral: a
conversation with the bot is personal, and others in the channel need not see it.
A DM's plain messages are answered with ordinary messages.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import discord

from bot.conversation.events import FileRef
from bot.conversation.replies import FileTooLarge, MessageRef, Reply
from bot.discord import render
from bot.discord.translate import TRANSPORT
from core.retry import GIVE_UP, RETRY, Verdict

CHUNK = 64 * 1024



def delivery_verdict(error: Exception) -> Verdict:
    """A reply Discord could not take now (a 5xx, a dropped connection) is tried again;
    one it refused (4xx: missing access, a bad payload) never will be. discord.py
    waits out 429s itself."""
    if isinstance(error, discord.HTTPException):
        return RETRY if error.status >= 500 else GIVE_UP
    return RETRY if isinstance(error, aiohttp.ClientError | TimeoutError) else GIVE_UP

class Downloader:
    """Fetches attachments from Discord's CDN with the size limit enforced twice: by
    the size Discord announced, before any request, and while reading, so a file
    never takes more memory than the limit."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def download(self, file: FileRef, max_bytes: int) -> bytes:
        if file.size is not None and file.size > max_bytes:
            raise FileTooLarge(file.size, max_bytes)
        if not file.file_id.startswith(("https://", "http://")):
            raise ValueError("not a Discord attachment URL")
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120))
        async with self._session.get(file.file_id) as response:
            response.raise_for_status()
            if response.content_length is not None and response.content_length > max_bytes:
                raise FileTooLarge(response.content_length, max_bytes)
            data = bytearray()
            async for chunk in response.content.iter_chunked(CHUNK):
                data += chunk
                if len(data) > max_bytes:
                    raise FileTooLarge(None, max_bytes)
        return bytes(data)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


class InteractionChannel:
    """Replies to one (already deferred) interaction."""

    transport = TRANSPORT
    delivery_verdict = staticmethod(delivery_verdict)

    def __init__(self, interaction: discord.Interaction[Any], downloader: Downloader) -> None:
        self._interaction = interaction
        self._downloader = downloader
        self.ephemeral = interaction.guild_id is not None
        self._chat_id = str(interaction.channel_id)

    async def send(self, reply: Reply) -> MessageRef:
        kwargs: dict[str, Any] = {"content": render.content_of(reply.text),
                                  "ephemeral": self.ephemeral, "wait": True}
        view = render.view_of(reply.buttons, answer_button=self.ephemeral)
        if view is not None:
            kwargs["view"] = view
        file = render.file_of(reply.attachment)
        if file is not None:
            kwargs["file"] = file
        message = await self._interaction.followup.send(**kwargs)
        return MessageRef(self._chat_id, str(message.id))

    async def edit(self, ref: MessageRef, reply: Reply) -> MessageRef:
        view = render.view_of(reply.buttons, answer_button=self.ephemeral)
        await self._interaction.followup.edit_message(
            int(ref.message_id), content=render.content_of(reply.text), view=view)
        return ref

    async def download(self, file: FileRef, max_bytes: int) -> bytes:
        return await self._downloader.download(file, max_bytes)


class MessageChannel:
    """Replies in a DM to plain messages (text typed, photos sent)."""

    transport = TRANSPORT
    delivery_verdict = staticmethod(delivery_verdict)

    def __init__(self, channel: discord.abc.Messageable, chat_id: str,
                 downloader: Downloader) -> None:
        self._channel = channel
        self._chat_id = chat_id
        self._downloader = downloader

    async def send(self, reply: Reply) -> MessageRef:
        kwargs: dict[str, Any] = {"content": render.content_of(reply.text)}
        view = render.view_of(reply.buttons)
        if view is not None:
            kwargs["view"] = view
        file = render.file_of(reply.attachment)
        if file is not None:
            kwargs["file"] = file
        message = await self._channel.send(**kwargs)
        return MessageRef(self._chat_id, str(message.id))

    async def edit(self, ref: MessageRef, reply: Reply) -> MessageRef:
        partial = discord.PartialMessage(channel=self._channel,  # type: ignore[arg-type]
                                         id=int(ref.message_id))
        await partial.edit(content=render.content_of(reply.text),
                           view=render.view_of(reply.buttons))
        return ref

    async def download(self, file: FileRef, max_bytes: int) -> bytes:
        return await self._downloader.download(file, max_bytes)
