"""/announce-here: a server admin picks the channel for the community's post news.

Discord hides the command from members without Manage Server by default, and a
server can change that, so the permission is checked here too.

These community commands are not flows (they need no conversation), so they do not
pass through the dispatcher; `answered` gives them its error handling: the
"thinking…" acknowledgement always ends in an answer (the catalogue's friendly words
for a failure), and an unexpected failure is recorded (core.analytics.errors).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.discord.translate import TRANSPORT
from core.bootstrap import Core
from core.communities import set_announcement_channel
from core.errors import UserFacingError
from core.texts import common as tc
from core.texts import discord as t

log = logging.getLogger(__name__)


async def answered(interaction: discord.Interaction[Any], core: Core, command: str,
                   work: Callable[[], Awaitable[str]]) -> None:
    """Acknowledge with "thinking…", run `work`, and answer privately with what it
    says, or with the friendly error: the busy note when the database is (every pooled
    connection in use, one dropped, SQLite's lock held too long), the account's own words for a
    `UserFacingError`, else "something went wrong", the error recorded."""
    try:
        await interaction.response.defer(ephemeral=True, thinking=True)
    except discord.HTTPException:
        log.warning("discord: could not acknowledge /%s", command, exc_info=True)
        return
    try:
        text = await work()
    except UserFacingError as exc:
        text = tc.render_error(exc)
    except PoolTimeout:
        log.warning("database pool exhausted; /%s not done", command)
        text = tc.BUSY
    except Exception as exc:
        if _try_again(exc):
            log.warning("database busy or connection lost; /%s not done", command)
            text = tc.BUSY
        else:
            log.exception("/%s failed", command)
            await core.analytics.errors.capture(exc, "bot", transport=TRANSPORT,
                                                event=f"/{command}")
            text = tc.SOMETHING_WENT_WRONG
    try:
        await interaction.followup.send(text, ephemeral=True)
    except Exception:
        log.exception("discord: could not answer /%s", command)


def _try_again(exc: Exception) -> bool:
    """A failure about now, not about the command (as the dispatcher sees it): a
    pooled connection the server dropped, SQLite's lock held past the timeout."""
    if not isinstance(exc, DBAPIError):
        return False
    return exc.connection_invalidated or (
        isinstance(exc, OperationalError) and "database is locked" in str(exc.orig))


async def announce_here(interaction: discord.Interaction[Any], core: Core) -> None:
    await answered(interaction, core, "announce-here", lambda: _announce_here(interaction, core))


async def _announce_here(interaction: discord.Interaction[Any], core: Core) -> str:
    channel = interaction.channel
    if interaction.guild_id is None or not isinstance(channel, discord.TextChannel):
        return t.ANNOUNCE_NOT_HERE
    if not interaction.permissions.manage_guild:
        return t.ANNOUNCE_ADMINS_ONLY
    for attempt in range(2):
        try:
            async with core.db.session() as session:
                await set_announcement_channel(session, TRANSPORT, str(interaction.guild_id),
                                               str(channel.id), str(interaction.user.id),
                                               core.clock.now())
            break
        except IntegrityError:
            # another admin set this server's first channel at the same moment: theirs
            # is in now, so this one, read again, moves it (the later choice wins)
            if attempt:
                raise
    return t.ANNOUNCE_SET.format(channel=channel.mention)

