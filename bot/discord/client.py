"""The discord.py `Client`: slash commands on a `CommandTree`, everything else routed.

On start (`setup_hook`, after login and before the gateway) it finds the gateway the
API names and replaces the application's commands with ours in one bulk overwrite
(`tree.sync`). Component presses and modal submissions are not bound to in-memory
views (see `render`): `on_interaction` hands them to the adapter by `custom_id`.
DMs arrive as messages; server channel messages are not read (no message-content
intent: people talk to the bot there through commands, buttons and modals).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

import discord
from discord import app_commands

from bot.discord.endpoints import use_announced_gateway

log = logging.getLogger(__name__)


class Routes(Protocol):
    async def on_component(self, interaction: discord.Interaction[Any]) -> None: ...

    async def on_modal(self, interaction: discord.Interaction[Any]) -> None: ...

    async def on_dm(self, message: discord.Message) -> None: ...


def intents() -> discord.Intents:
    """Servers (channel names and age restrictions) and DMs; nothing privileged."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.dm_messages = True
    return wanted


class ThottoClient(discord.Client):
    def __init__(self, routes: Routes) -> None:
        super().__init__(intents=intents())
        self.tree: app_commands.CommandTree[ThottoClient] = app_commands.CommandTree(self)
        self._routes = routes
        self.synced = asyncio.Event()

    async def setup_hook(self) -> None:
        await use_announced_gateway(self)
        commands = await self.tree.sync()
        log.info("discord: %d slash commands synced", len(commands))
        self.synced.set()

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is discord.InteractionType.component:
            await self._routes.on_component(interaction)
        elif interaction.type is discord.InteractionType.modal_submit:
            await self._routes.on_modal(interaction)

    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None and not message.author.bot:
            await self._routes.on_dm(message)
