"""Slash commands: one for every chat command the dispatcher knows, plus Discord's own.

Built from the dispatcher, so a new flow's command appears on Discord as it does on
Telegram (`command_names` is what the parity spec compares). A command whose flow
says what its words mean (`Flow.args_hint`) gets an optional `text` option. Two
commands exist only here: `/upload` (a photo, since a server channel's messages are
not ours to read) and `/announce-here` for server admins.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.conversation.dispatcher import CANCEL, Dispatcher
from core.texts import discord as t

OnCommand = Callable[[discord.Interaction[Any], str, str], Awaitable[None]]
OnUpload = Callable[[discord.Interaction[Any], discord.Attachment, str], Awaitable[None]]
OnAnnounce = Callable[[discord.Interaction[Any]], Awaitable[None]]
DESCRIPTION_LIMIT = 100


def command_names(dispatcher: Dispatcher) -> list[str]:
    """Every chat command, as Telegram publishes them, plus /cancel."""
    return [*dispatcher.commands, CANCEL]


def describe(dispatcher: Dispatcher, name: str) -> tuple[str, str]:
    """(description, args hint) of a chat command."""
    flow = dispatcher.commands.get(name)
    if flow is None:
        return t.CANCEL_DESCRIPTION, ""
    line = flow.help_line.split("–", 1)[-1].strip() or name
    return line[:DESCRIPTION_LIMIT], flow.args_hint[:DESCRIPTION_LIMIT]


def chat_command(name: str, description: str, hint: str, on_command: OnCommand
                 ) -> app_commands.Command[Any, Any, None]:
    if hint:
        @app_commands.describe(text=hint)
        async def with_text(interaction: discord.Interaction[Any], text: str | None = None
                            ) -> None:
            await on_command(interaction, name, text or "")

        return app_commands.Command(name=name, description=description, callback=with_text)

    async def plain(interaction: discord.Interaction[Any]) -> None:
        await on_command(interaction, name, "")

    return app_commands.Command(name=name, description=description, callback=plain)


def upload_command(on_upload: OnUpload) -> app_commands.Command[Any, Any, None]:
    @app_commands.describe(photo=t.UPLOAD_PHOTO, caption=t.UPLOAD_CAPTION)
    async def upload(interaction: discord.Interaction[Any], photo: discord.Attachment,
                     caption: str | None = None) -> None:
        await on_upload(interaction, photo, caption or "")

    return app_commands.Command(name="upload", description=t.UPLOAD_DESCRIPTION,
                                callback=upload)


def announce_command(on_announce: OnAnnounce) -> app_commands.Command[Any, Any, None]:
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def announce_here(interaction: discord.Interaction[Any]) -> None:
        await on_announce(interaction)

    return app_commands.Command(name="announce-here", description=t.ANNOUNCE_DESCRIPTION,
                                callback=announce_here)


def install(tree: app_commands.CommandTree[Any], dispatcher: Dispatcher,
            on_command: OnCommand, on_upload: OnUpload, on_announce: OnAnnounce) -> None:
    """Put every command on `tree` (synced to Discord when the client starts)."""
    for name in command_names(dispatcher):
        description, hint = describe(dispatcher, name)
        tree.add_command(chat_command(name, description, hint, on_command))
    tree.add_command(upload_command(on_upload))
    tree.add_command(announce_command(on_announce))
