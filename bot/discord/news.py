"""/announce-my-posts: a creator picks where their "posted" news goes.

"here": their posts going live are announced in this server's announcement channel
(the one its admins picked with /announce-here), for the community to see; "dm":
privately, as before. Stored on the user (`users.announce_in`), so the notifier
(core.posting.outbox, bot.discord.deliver) finds it without this adapter. Only the
"posted" news is ever public; failures and pauses stay private either way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.discord.announce import answered
from bot.discord.translate import TRANSPORT, who_of
from core.bootstrap import Core
from core.communities import announcement_channel
from core.texts import discord as t

HERE, DM = "here", "dm"
NAME = "announce-my-posts"
OnNews = Callable[[discord.Interaction[Any], str], Awaitable[None]]


def news_command(on_news: OnNews) -> app_commands.Command[Any, Any, None]:
    @app_commands.guild_only()
    @app_commands.describe(where=t.NEWS_WHERE)
    @app_commands.choices(where=[app_commands.Choice(name=t.NEWS_HERE, value=HERE),
                                 app_commands.Choice(name=t.NEWS_DM, value=DM)])
    async def announce_my_posts(interaction: discord.Interaction[Any],
                                where: app_commands.Choice[str]) -> None:
        await on_news(interaction, where.value)

    return app_commands.Command(name=NAME, description=t.NEWS_DESCRIPTION,
                                callback=announce_my_posts)


async def choose_news(interaction: discord.Interaction[Any], core: Core, where: str) -> None:
    """Store the creator's choice and say what will happen (failures answered and
    recorded as for /announce-here: `answered`)."""
    await answered(interaction, core, NAME, lambda: _choose(interaction, core, where))


async def _choose(interaction: discord.Interaction[Any], core: Core, where: str) -> str:
    if interaction.guild_id is None:
        return t.ANNOUNCE_NOT_HERE
    community = str(interaction.guild_id)
    # an account pending deletion raises UserFacingError: `answered` says when, and /restore
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, who_of(interaction.user))
        user.notify_via = TRANSPORT  # asked here: the private news comes here too
        user.announce_in = f"{TRANSPORT}:{community}" if where == HERE else None
        channel = await announcement_channel(session, TRANSPORT, community)
    if where != HERE:
        return t.NEWS_SET_DM
    if channel is None:
        return t.NEWS_SET_HERE_NO_CHANNEL
    return t.NEWS_SET_HERE.format(channel=f"<#{channel}>")
