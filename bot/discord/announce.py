"""/announce-here: a server admin picks the channel for the community's post news.

Discord hides the command from members without Manage Server by default, and a
server can change that, so the permission is checked here too.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.discord.translate import TRANSPORT
from core.bootstrap import Core
from core.communities import set_announcement_channel
from core.texts import discord as t


async def announce_here(interaction: discord.Interaction[Any], core: Core) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    channel = interaction.channel
    if interaction.guild_id is None or not isinstance(channel, discord.TextChannel):
        await interaction.followup.send(t.ANNOUNCE_NOT_HERE, ephemeral=True)
        return
    if not interaction.permissions.manage_guild:
        await interaction.followup.send(t.ANNOUNCE_ADMINS_ONLY, ephemeral=True)
        return
    async with core.db.session() as session:
        await set_announcement_channel(session, TRANSPORT, str(interaction.guild_id),
                                       str(channel.id), str(interaction.user.id),
                                       core.clock.now())
    await interaction.followup.send(t.ANNOUNCE_SET.format(channel=channel.mention),
                                    ephemeral=True)
