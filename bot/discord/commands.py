"""Slash commands: one for every chat command the dispatcher knows, plus Discord's own.

Built from the dispatcher, so a new flow's command appears on Discord as it does on
Telegram (`command_names` is what the parity spec compares). A command whose flow
says what its words mean (`Flow.args_hint`) gets an optional `text` option. Two
commands exist only here: `/upload` (a photo, since a server channel's messages are
not ours to read) and `/announce-here` for server admins.

Where they may be used is declared, not left to Discord's defaults: in servers and in
the bot's own DM, installed to servers only. Were the app also installable by users,
the defaults would offer them in group DMs and DMs between people too, places shared
with others that are neither a server (no age restriction to ask) nor a private chat
with the bot (bot.discord.translate).
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


def _where(command: app_commands.Command[Any, Any, None], *, dms: bool = True
           ) -> app_commands.Command[Any, Any, None]:
    """Usable in servers (and in the bot's DM unless `dms` is off), never in group DMs
    or DMs between people; installed to servers, never to a user's account."""
    command.allowed_contexts = app_commands.AppCommandContext(
        guild=True, dm_channel=dms, private_channel=False)
    command.allowed_installs = app_commands.AppInstallationType(guild=True, user=False)
    return command


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

        return _where(app_commands.Command(name=name, description=description,
                                           callback=with_text))

    async def plain(interaction: discord.Interaction[Any]) -> None:
        await on_command(interaction, name, "")

    return _where(app_commands.Command(name=name, description=description, callback=plain))


def upload_command(on_upload: OnUpload) -> app_commands.Command[Any, Any, None]:
    @app_commands.describe(photo=t.UPLOAD_PHOTO, caption=t.UPLOAD_CAPTION)
    async def upload(interaction: discord.Interaction[Any], photo: discord.Attachment,
                     caption: str | None = None) -> None:
        await on_upload(interaction, photo, caption or "")

    return _where(app_commands.Command(name="upload", description=t.UPLOAD_DESCRIPTION,
                                       callback=upload))


def announce_command(on_announce: OnAnnounce) -> app_commands.Command[Any, Any, None]:
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def announce_here(interaction: discord.Interaction[Any]) -> None:
        await on_announce(interaction)

    return _where(app_commands.Command(name="announce-here",
                                       description=t.ANNOUNCE_DESCRIPTION,
                                       callback=announce_here), dms=False)


def install(tree: app_commands.CommandTree[Any], dispatcher: Dispatcher,
            on_command: OnCommand, on_upload: OnUpload, on_announce: OnAnnounce) -> None:
    """Put every command on `tree` (synced to Discord when the client starts)."""
    for name in command_names(dispatcher):
        description, hint = describe(dispatcher, name)
        tree.add_command(chat_command(name, description, hint, on_command))
    tree.add_command(upload_command(on_upload))
    tree.add_command(announce_command(on_announce))
