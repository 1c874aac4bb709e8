"""Outbound side of the Discord adapter: our `Reply` -> followups, edits, DMs.

An interaction is acknowledged (deferred) before the flow runs; everything the flow
says then goes out as followup messages (valid 15 minutes) and `edit` edits one of
them, which is how progress is shown. In a server (or any channel shared with people
other than the bot) every reply is ephemeral: a conversation with the bot is personal,
and others in the channel need not see it.
A DM's plain messages are answered with ordinary messages.

Files are kept by their URL (`translate.file_ref`), and a flow may fetch one again a
day later (a draft posted or scheduled then). Discord's CDN URLs are signed and
expire after about 24 hours (`ex`, hex seconds), so a URL past its expiry, or one the
CDN refuses (4xx), is exchanged once for a fresh one (POST /attachments/refresh-urls,
with the bot's token) and fetched again; a photo that still can't be fetched is a
`UserFacingError` asking for it again, never the generic apology.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
import yarl
from discord.http import HTTPClient, Route

from bot.conversation.events import FileRef
from bot.conversation.replies import FileTooLarge, MessageRef, Reply
from bot.discord import render
from bot.discord.translate import TRANSPORT, is_bots_dm
from core.errors import UserFacingError
from core.outbound import discord_windows
from core.retry import GIVE_UP, RETRY, Verdict

if TYPE_CHECKING:
    from core.bootstrap import Core

CHUNK = 64 * 1024
# A fresh URL for an old one (None: Discord would not refresh it).
Refresh = Callable[[str], Awaitable[str | None]]
# Waits for room in one channel's outbound window before a message (core.outbound).
Pace = Callable[[], Awaitable[object]]


def pacer(core: Core, client: discord.Client, channel_id: int | str) -> Pace:
    """Waiting for room in a channel's window, shared by every process (core.outbound):
    discord.py's own buckets count this process's requests only. Chat replies in a
    DM and the notices the workers send there count against the same window."""

    async def pace() -> float:
        bot_id = client.user.id if client.user is not None else 0
        return await core.outbound.acquire(
            discord_windows(core.settings.outbound, bot_id, channel_id))

    return pace


def delivery_verdict(error: Exception) -> Verdict:
    """A reply Discord could not take now (a 5xx, a dropped connection) is tried again;
    one it refused (4xx: missing access, a bad payload) never will be. discord.py
    waits out 429s itself."""
    if isinstance(error, discord.HTTPException):
        return RETRY if error.status >= 500 else GIVE_UP
    return RETRY if isinstance(error, aiohttp.ClientError | TimeoutError) else GIVE_UP

def url_expired(url: str, now: float | None = None) -> bool:
    """Whether a signed CDN URL's expiry (`ex`, hex Unix seconds) has passed."""
    try:
        expiry = int(yarl.URL(url).query.get("ex", ""), 16)
    except ValueError:
        return False  # not signed (or not by Discord): only the CDN's answer tells
    return expiry <= (time.time() if now is None else now)


def refresher(http: HTTPClient) -> Refresh:
    """Discord's refresh of expired attachment URLs, through the bot's own HTTP client
    (its token, rate limits and retries)."""

    async def refresh(url: str) -> str | None:
        answer = await http.request(Route("POST", "/attachments/refresh-urls"),
                                    json={"attachment_urls": [url]})
        entries = [e for e in (answer or {}).get("refreshed_urls") or []
                   if isinstance(e, dict) and e.get("refreshed")]
        mine = [e for e in entries if e.get("original") == url] or entries[:1]
        return str(mine[0]["refreshed"]) if mine else None

    return refresh


def _expired() -> UserFacingError:
    """The photo can't be fetched any more: the creator is asked to send it again."""
    return UserFacingError("discord_photo_expired")


def _refused(error: aiohttp.ClientResponseError) -> bool:
    """The CDN said no to this URL (expired, unknown), as opposed to an outage."""
    return 400 <= error.status < 500


class Downloader:
    """Fetches attachments from Discord's CDN with the size limit enforced twice: by
    the size Discord announced, before any request, and while reading, so a file
    never takes more memory than the limit."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def download(self, file: FileRef, max_bytes: int, refresh: Refresh | None = None
                       ) -> bytes:
        """The file's bytes; an expired or refused URL is refreshed once (`refresh`)."""
        if file.size is not None and file.size > max_bytes:
            raise FileTooLarge(file.size, max_bytes)
        url = file.file_id
        if not url.startswith(("https://", "http://")):
            raise ValueError("not a Discord attachment URL")
        if not url_expired(url):
            try:
                return await self._fetch(url, max_bytes)
            except aiohttp.ClientResponseError as exc:
                if not _refused(exc):
                    raise
        fresh = await self._refreshed(url, refresh)
        try:
            return await self._fetch(fresh, max_bytes)
        except aiohttp.ClientResponseError as exc:
            if _refused(exc):
                raise _expired() from exc
            raise

    async def _refreshed(self, url: str, refresh: Refresh | None) -> str:
        """A fresh URL for `url`, or the error asking for the photo again. An outage
        (Discord's 5xx, a dropped connection) is raised as it is: worth trying again."""
        if refresh is None:
            raise _expired()
        try:
            fresh = await refresh(url)
        except discord.HTTPException as exc:
            if exc.status >= 500:
                raise
            raise _expired() from exc
        if fresh is None or not fresh.startswith(("https://", "http://")):
            raise _expired()
        return fresh

    async def _fetch(self, url: str, max_bytes: int) -> bytes:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120))
        async with self._session.get(url) as response:
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
        self.ephemeral = not is_bots_dm(interaction)  # a server or a group: only they see it
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
        return await self._downloader.download(file, max_bytes,
                                               refresher(self._interaction.client.http))


class MessageChannel:
    """Replies in a DM to plain messages (text typed, photos sent)."""

    transport = TRANSPORT
    delivery_verdict = staticmethod(delivery_verdict)

    def __init__(self, channel: discord.abc.Messageable, chat_id: str,
                 downloader: Downloader, pace: Pace | None = None) -> None:
        self._channel = channel
        self._chat_id = chat_id
        self._downloader = downloader
        self._pace = pace

    async def send(self, reply: Reply) -> MessageRef:
        if self._pace is not None:
            await self._pace()
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
        if self._pace is not None:
            await self._pace()
        partial = discord.PartialMessage(channel=self._channel,  # type: ignore[arg-type]
                                         id=int(ref.message_id))
        await partial.edit(content=render.content_of(reply.text),
                           view=render.view_of(reply.buttons))
        return ref

    async def download(self, file: FileRef, max_bytes: int) -> bytes:
        return await self._downloader.download(file, max_bytes,
                                               refresher(self._channel._state.http))
