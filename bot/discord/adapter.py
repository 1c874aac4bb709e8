"""Runs discord.py inside the shared event loop and turns Discord into events.

Every interaction is acknowledged first (Discord allows 3 seconds; a flow may take
longer, or wait its turn behind the same person's previous message), then handed to
the dispatcher in arrival order through the process's `ChatSerializer`. What the flow
says goes out as followups (`InteractionChannel`). The acknowledgement starts before
the serializer is entered, yet the flow waits for it, because a followup needs it.

Text input: in a DM, typed messages are Text events. In a server channel, where the
bot does not read messages, each reply carries a "Type an answer" button that opens
a modal; its submission is the Text event. Photos come as DM attachments or through
`/upload`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager, suppress
from typing import Any

import discord

from bot.conversation.dispatcher import Dispatcher
from bot.conversation.events import ButtonPress, Command, Inbound, Text, Upload
from bot.conversation.ordering import ChatSerializer
from bot.conversation.replies import Channel
from bot.discord import commands, news, render
from bot.discord.announce import announce_here
from bot.discord.channel import Downloader, InteractionChannel, MessageChannel, pacer
from bot.discord.client import ThottoClient
from bot.discord.endpoints import pointed_at
from bot.discord.translate import (
    chat_of,
    file_ref,
    is_adult_place,
    is_bots_dm,
    modal_text,
    ordering_key,
    who_of,
)
from bot.leading import Heard
from core.settings import DiscordSettings

log = logging.getLogger(__name__)


class DiscordAdapter:
    def __init__(self, settings: DiscordSettings, dispatcher: Dispatcher,
                 serializer: ChatSerializer | None = None) -> None:
        """`serializer` is shared with the process's other chat adapters."""
        if settings.token is None:
            raise ValueError("discord.token is required for the Discord adapter")
        self._settings = settings
        self._dispatcher = dispatcher
        core = dispatcher.core
        self._serializer = serializer or ChatSerializer.for_database(core.db.dialect)
        self._downloader = Downloader()
        self.client = ThottoClient(self)
        self._client_task: asyncio.Task[None] | None = None
        self._refused = False  # Discord rejected the token: no process can listen
        commands.install(self.client.tree, dispatcher, self.on_command, self.on_upload,
                         self.on_announce)
        self.client.tree.add_command(news.news_command(self.on_news))

    @asynccontextmanager
    async def running(self) -> AsyncIterator[ThottoClient]:
        """Log in, sync commands and listen in the background; close cleanly on exit.

        discord.py reconnects by itself when the gateway drops; a rejected token (or a
        login Discord answered with an error) is logged and leaves the rest of the
        service running, and `listening()` says so: a holder of the gateway lease
        gives it up then (bot.leading), so that another process may listen.
        """
        assert self._settings.token is not None
        token = self._settings.token.get_secret_value()
        with pointed_at(self._settings.api_base_url):
            async with self.client:
                task = asyncio.create_task(self._run(token), name="discord-client")
                self._client_task = task
                try:
                    yield self.client
                finally:
                    await self.client.close()
                    task.cancel()
                    with suppress(asyncio.CancelledError):
                        await task
                    await self._downloader.close()

    def listening(self) -> Heard:
        """Running, stopped by itself, or refused for good (in `running()`'s block)."""
        if self._refused:
            return Heard.REFUSED
        running = self._client_task is not None and not self._client_task.done()
        return Heard.LISTENING if running else Heard.STOPPED

    async def _run(self, token: str) -> None:
        try:
            await self.client.start(token)
        except discord.LoginFailure as exc:
            self._refused = True
            log.error("discord refused the bot token (%s); the Discord bot stays off", exc)
        except Exception:
            log.exception("the Discord bot stopped; the rest of the service keeps running")

    # -- inbound -------------------------------------------------------------------------
    async def on_command(self, interaction: discord.Interaction[Any], name: str,
                         args: str) -> None:
        event = self._event(interaction, Command, name=name, args=args)
        await self._handle(interaction, event, self._defer_reply(interaction))

    async def on_upload(self, interaction: discord.Interaction[Any],
                        photo: discord.Attachment, caption: str) -> None:
        event = self._event(interaction, Upload, file=file_ref(photo), caption=caption)
        await self._handle(interaction, event, self._defer_reply(interaction))

    async def on_announce(self, interaction: discord.Interaction[Any]) -> None:
        await announce_here(interaction, self._dispatcher.core)

    async def on_news(self, interaction: discord.Interaction[Any], where: str) -> None:
        await news.choose_news(interaction, self._dispatcher.core, where)

    async def on_component(self, interaction: discord.Interaction[Any]) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        if data.get("custom_id") == render.ANSWER_ID:
            await interaction.response.send_modal(render.answer_modal())
            return
        payload = render.payload_of(data)
        if payload is None:
            return
        event = self._event(interaction, ButtonPress, payload=payload)
        await self._handle(interaction, event, interaction.response.defer())

    async def on_modal(self, interaction: discord.Interaction[Any]) -> None:
        text = modal_text(dict(interaction.data or {}))
        event = self._event(interaction, Text, text=text)
        await self._handle(interaction, event, self._defer_reply(interaction))

    async def on_dm(self, message: discord.Message) -> None:
        who = who_of(message.author)
        chat_id = str(message.channel.id)
        channel = MessageChannel(message.channel, chat_id, self._downloader,
                                 pacer(self._dispatcher.core, self.client, message.channel.id))
        event_id = f"discord:m:{message.id}"
        events: list[Inbound] = [Upload(who, chat_id, file=file_ref(a), caption=message.content,
                                        event_id=f"{event_id}:{n}")
                                 for n, a in enumerate(message.attachments)]
        text = message.content.strip()
        if not events and text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            events.append(Command(who, chat_id, name=name.lower(), args=args.strip(),
                                  event_id=event_id))
        elif not events and text:
            events.append(Text(who, chat_id, text=text, event_id=event_id))
        key = ordering_key(chat_id, message.author.id)
        for event in events:
            await self._serializer.run(key, self._dispatcher.handle(event, channel))

    # -- plumbing ------------------------------------------------------------------------
    def _event(self, interaction: discord.Interaction[Any], kind: type[Inbound],
               **fields: Any) -> Inbound:
        chat_id, in_guild = chat_of(interaction)
        who = who_of(interaction.user, str(interaction.locale))
        return kind(who, chat_id, adult_place=is_adult_place(interaction.channel, in_guild),
                    event_id=f"discord:i:{interaction.id}", **fields)

    def _defer_reply(self, interaction: discord.Interaction[Any]) -> Awaitable[Any]:
        """A "thinking…" acknowledgement, private wherever others could see it (a
        server, a group DM): the same rule as the replies that follow it."""
        return interaction.response.defer(ephemeral=not is_bots_dm(interaction),
                                          thinking=True)

    async def _handle(self, interaction: discord.Interaction[Any], event: Inbound,
                      ack: Awaitable[Any]) -> None:
        acked = asyncio.ensure_future(ack)  # now, not after waiting for the chat's turn
        channel: Channel = InteractionChannel(interaction, self._downloader)

        async def work() -> None:
            try:
                await acked
            except discord.HTTPException:
                log.warning("discord: could not acknowledge an interaction", exc_info=True)
                return
            await self._dispatcher.handle(event, channel)

        chat_id, _ = chat_of(interaction)
        await self._serializer.run(ordering_key(chat_id, interaction.user.id), work())
