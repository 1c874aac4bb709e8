"""Notices from the scheduler (core.posting.outbox) delivered on Discord.

A creator who scheduled a post is usually not chatting when it goes live, so the
notice goes into a DM with them (opened by their Discord user id). "Posted" news goes
to their server's announcement channel instead when they chose that
(/announce-my-posts, `users.announce_in`) and the server's admins picked a channel
(/announce-here); if that channel is gone or closed to us, it falls back to the DM.
Everything else (failures, pauses) is personal and always a DM.

A post that is 18+ (marked NSFW, or to an 18+ subreddit: the notice's `nsfw`) is
announced only in an age-restricted channel, and without a link preview; in any other
channel, or one we cannot look up, its news goes to the DM. A notice queued before
notices carried that flag counts as 18+ when the creator confirmed they are an adult.

Which transport delivers is the outbox's choice (`preferred_transport`: the one the
creator last worked on a post from, or the one they announce in); this deliverer
answers only for Discord. No Discord identity: `False`, another transport may reach
them. Discord's 5xx, 429 and network errors raise, so the outbox retries with
backoff (discord.py itself already retried 502/504 a few times); other refusals
(DMs closed, unknown user, a bad request) are final, so a row is not retried forever.

Each message first waits for room in its channel's window (`[outbound]`
discord_channel_*, shared by all processes through Redis when configured); discord.py
itself keeps Discord's per-route buckets and global limit within this process and
waits out a 429's retry-after on its own.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from sqlalchemy import select

from bot.discord.channel import pacer
from bot.discord.render import content_of
from bot.discord.translate import TRANSPORT
from core.communities import announcement_channel
from core.db.models import Identity, User
from core.posting.outbox import POSTED, Notice
from core.texts import discord as t
from core.texts import schedule as ts

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)


class NotConnected(RuntimeError):
    """The Discord client has not logged in yet (or lost its session): retry later."""


class DiscordDeliverer:
    name = TRANSPORT

    def __init__(self, core: Core, client: discord.Client) -> None:
        self._core = core
        self._client = client

    async def _route(self, notice: Notice) -> tuple[int | None, int | None, bool]:
        """(the creator's Discord user id, the announcement channel for this notice,
        whether the post is 18+)."""
        nsfw = bool(notice.payload.get("nsfw"))
        async with self._core.db.read() as session:
            external = await session.scalar(select(Identity.external_id).where(
                Identity.user_id == notice.user_id, Identity.transport == TRANSPORT))
            if external is None or not external.isdigit():
                return None, None, nsfw
            channel: str | None = None
            if notice.kind == POSTED:
                row = (await session.execute(
                    select(User.announce_in, User.adult_confirmed_at).where(
                        User.id == notice.user_id))).first()
                chosen, adult = row if row is not None else (None, None)
                if "nsfw" not in notice.payload:  # queued before notices said: play safe
                    nsfw = adult is not None
                transport, _, community = (chosen or "").partition(":")
                if transport == TRANSPORT and community:
                    channel = await announcement_channel(session, TRANSPORT, community)
        return (int(external), int(channel) if channel and channel.isdigit() else None,
                nsfw)

    async def deliver(self, notice: Notice) -> bool:
        user_id, channel_id, nsfw = await self._route(notice)
        if user_id is None:
            return False
        if self._client.user is None:
            raise NotConnected("discord: not logged in yet")
        if channel_id is not None and await self._announce(notice, user_id, channel_id,
                                                           nsfw):
            return True
        try:
            dm = await self._client.create_dm(discord.Object(user_id))
            await self._pace(dm.id)
            await dm.send(content_of(ts.notice_text(notice.kind, notice.payload)))
        except discord.HTTPException as exc:
            if _worth_retrying(exc):
                raise
            log.info("discord: cannot DM user %s (%s); notice %s not deliverable here",
                     user_id, exc.status, notice.event_key)
            return False
        return True

    async def _announce(self, notice: Notice, user_id: int, channel_id: int, nsfw: bool
                        ) -> bool:
        """Post "@creator just posted…" in the community's channel; False: use the DM."""
        payload = notice.payload
        if not payload.get("link"):
            return False  # news without a link to show is the creator's own business
        text = t.ANNOUNCE_POSTED.format(who=f"<@{user_id}>", title=payload.get("title") or "",
                                        sub=payload.get("subreddit") or "?",
                                        link=payload["link"])
        try:
            if nsfw and not await self._age_restricted(channel_id):
                log.info("discord: channel %s is not age-restricted; 18+ news by DM",
                         channel_id)
                return False
            await self._pace(channel_id)
            await self._client.get_partial_messageable(channel_id).send(
                content_of(text), allowed_mentions=discord.AllowedMentions.none(),
                suppress_embeds=nsfw)
        except discord.HTTPException as exc:
            if _worth_retrying(exc):
                raise
            log.info("discord: announcement channel %s refused (%s); DMing instead",
                     channel_id, exc.status)
            return False
        return True

    async def _age_restricted(self, channel_id: int) -> bool:
        """Whether the channel is age-restricted: from the gateway's cache (the guilds
        intent keeps it current), else asked of Discord (its refusals raise, as a
        send's would)."""
        channel: object = self._client.get_channel(channel_id)
        if channel is None:
            channel = await self._client.fetch_channel(channel_id)
        is_nsfw = getattr(channel, "is_nsfw", None)
        return bool(is_nsfw()) if callable(is_nsfw) else False

    async def _pace(self, channel_id: int) -> None:
        """Wait for room in the channel's window, shared by every process."""
        await pacer(self._core, self._client, channel_id)()


def _worth_retrying(exc: discord.HTTPException) -> bool:
    return exc.status >= 500 or exc.status == 429

