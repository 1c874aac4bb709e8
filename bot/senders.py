"""The notice deliverers of a process that runs the worker role.

A worker needs no chat listener to deliver. Telegram: the adapter's bot when the bot
role runs here too (`--role all`), else a bare `telegram.Bot` (HTTP only: no polling,
no webhook, nothing registered). Discord: always a client that logs in over REST and
never opens the gateway, since the gateway session may be another process's (one per
bot, core.leases) and any number of workers must be able to send. Each notice tries
the transport the creator prefers first (core.posting.outbox); web push always delivers.
"""

from __future__ import annotations

import logging
import random
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any

from core.retry import Backoff

if TYPE_CHECKING:
    import discord
    from telegram import Bot

    from bot.telegram.adapter import TelegramAdapter
    from core.bootstrap import Core
    from core.posting.outbox import Deliverer
    from core.settings import Settings

log = logging.getLogger(__name__)

LOGIN_BACKOFF = Backoff(base=1.0, cap=60.0)  # seconds between Discord login attempts
_jitter = random.Random()  # noqa: S311 - jitter, not security


async def worker_deliverers(core: Core, stack: AsyncExitStack,
                            telegram: TelegramAdapter | None) -> list[Deliverer]:
    settings = core.settings
    deliverers: list[Deliverer] = []
    bot = telegram.application.bot if telegram is not None else _telegram_bot(settings, stack)
    if bot is not None:
        from bot.telegram.deliver import TelegramDeliverer
        from bot.telegram.support_deliver import TeamDeliverer

        deliverers.append(TelegramDeliverer(core, bot))
        deliverers.append(TeamDeliverer(core, bot))  # /support
    client = await _discord_rest(core, stack)  # the gateway may be another process's
    if client is not None:
        from bot.discord.deliver import DiscordDeliverer

        deliverers.append(DiscordDeliverer(core, client))
    from web.pwa.push_deliver import PushDeliverer  # the outbox's "push" rows (web push)

    deliverers.append(PushDeliverer(core))
    return deliverers


def _telegram_bot(settings: Settings, stack: AsyncExitStack) -> Bot | None:
    """Sends only; created without a network call, so a Telegram outage at start
    only means the outbox retries its rows."""
    if settings.telegram.token is None:
        return None
    from telegram import Bot

    from core.telegram_http import bot_requests

    requests = bot_requests()
    bot = Bot(settings.telegram.token.get_secret_value(),
              base_url=settings.telegram.api_base_url,
              base_file_url=settings.telegram.file_base_url, **requests)
    stack.push_async_callback(bot.shutdown)
    # never initialized, so bot.shutdown leaves the requests alone: close the session
    # the first send opened
    stack.push_async_callback(requests["request"].shutdown)
    return bot


async def _discord_rest(core: Core, stack: AsyncExitStack) -> discord.Client | None:
    """A Discord client logged in over REST (in the background, retried): until it is,
    its deliverer says "not connected" and the outbox retries."""
    settings = core.settings.discord
    if settings.token is None:
        return None
    import asyncio

    import discord

    from bot.discord.endpoints import pointed_at

    stack.enter_context(pointed_at(settings.api_base_url))
    client = discord.Client(intents=discord.Intents.none())
    token = settings.token.get_secret_value()

    async def login() -> None:
        failures = 0
        while True:
            try:
                await client.login(token)
                return
            except discord.LoginFailure as exc:
                log.error("discord refused the bot token (%s); Discord notices stay queued",
                          exc)
                return
            except Exception as exc:  # Discord unreachable: try again
                delay = LOGIN_BACKOFF.delay(failures, _jitter)
                failures += 1
                log.warning("discord login failed (%s); retrying in %.1f s",
                            type(exc).__name__, delay)
                await core.clock.sleep(delay)

    task = asyncio.create_task(login(), name="discord-rest-login")

    async def close(*_: Any) -> None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await client.close()

    stack.push_async_callback(close)
    return client
