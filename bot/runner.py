"""`serve`: build Core once, then run the role's parts (bot.roles) in one loop.

Start and stop are part of the product: the heavy Telegram client is imported only
when a token is configured, and a stop (SIGINT/SIGTERM) gives in-flight requests a
short grace, well inside the 2 s an orchestrator allows before it kills us.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

from aiohttp import web

from bot.app import build_dispatcher, build_serializer
from bot.leading import Heard, Listening, while_leading
from bot.roles import Role
from bot.senders import worker_deliverers
from bot.shared_state import warn_unshared
from bot.signals import stop_on_signals
from core.analytics.alerts import start_alerts
from core.analytics.archive import start_archival
from core.analytics.sentry import install_sentry
from core.bootstrap import open_core
from core.clock import Clock
from core.leases import Lease
from core.privacy.purge import start_purge
from core.retry import (
    GIVE_UP,
    RETRY,
    Attempt,
    Backoff,
    RetryEvent,
    RetryPolicy,
    Verdict,
    retry,
    retry_after,
)
from core.settings import Settings, TelegramMode
from web.app import init_app
from web.server import make_runner

if TYPE_CHECKING:
    from bot.conversation.dispatcher import Dispatcher
    from bot.conversation.ordering import ChatSerializer
    from bot.telegram.adapter import TelegramAdapter
    from core.bootstrap import Core

log = logging.getLogger(__name__)

# Seconds a request still running at stop may take before it is cancelled.
SHUTDOWN_GRACE = 1.0


class StartupError(Exception):
    """Something the operator must fix before the service can run; one clear line."""


async def serve(
    settings: Settings, stop: asyncio.Event | None = None, *, clock: Clock | None = None,
    role: Role = Role.ALL, banner: str | None = None,
) -> None:
    """Run `role`'s parts (bot.roles) until `stop` is set (or SIGINT/SIGTERM), then shut
    down within ~2 s. `banner`: the line printed once running (default: where to look)."""
    stop = stop or asyncio.Event()
    async with AsyncExitStack() as stack:
        stop_on_signals(stop, stack)
        core = await stack.enter_async_context(open_core(settings, clock=clock))
        stack.push_async_callback(install_sentry(core))  # only with a Sentry DSN
        warn_unshared(settings)
        if role.worker:
            stack.callback(start_archival(core))  # daily, claimed by one process
            stack.callback(start_purge(core))  # deleted accounts, after the grace period
            stack.push_async_callback(start_alerts(core).stop)  # anomaly alerts
        dispatcher = build_dispatcher(core) if role.web or role.bot else None
        # One per process, shared by every chat adapter: per-chat order and SQLite's one
        # writer hold across Telegram and Discord alike.
        serializer = build_serializer(core)
        telegram = None
        if dispatcher is not None and (role.bot or _webhook(settings)):
            telegram = _telegram(settings, dispatcher, serializer)
        if role.web:
            await _listen(core, settings, telegram, stack)
        if role is Role.BOT and telegram is None and settings.discord.token is None:
            log.warning("the bot role runs no chat transport: set telegram.token or "
                        "discord.token")
        if role.bot and dispatcher is not None:
            if telegram is not None:
                await stack.enter_async_context(_telegram_listening(telegram, core))
            await _start_discord(core, dispatcher, stack, serializer)
        if role.worker:
            from core.billing.payg.meters import start_meter_reporter  # payg usage to Stripe
            from core.posting.worker import start_workers

            deliverers = await worker_deliverers(core, stack, telegram)
            stack.push_async_callback(start_workers(core, deliverers).stop)

            stack.push_async_callback(start_meter_reporter(core).stop)
        # Everything built so far lives until exit: keep it out of the collector, so
        # neither idle collections nor the one at interpreter exit walk it (that final
        # walk alone took over a second of the stop on a loaded 2-core machine).
        gc.freeze()
        if banner is None:
            url = f"http://{settings.web.host}:{settings.web.port}"
            banner = (f"ThottoPilot is running on {url} (Ctrl+C to stop)" if role.web
                      else f"ThottoPilot ({role} role) is running (Ctrl+C to stop)")
        print(banner, flush=True)
        await stop.wait()
        log.info("shutting down")


def _webhook(settings: Settings) -> bool:
    return settings.telegram.token is not None and \
        settings.telegram.mode is TelegramMode.WEBHOOK


async def _listen(core: Core, settings: Settings, telegram: TelegramAdapter | None,
                  stack: AsyncExitStack) -> None:
    """The web companion (with the Telegram webhook route in webhook mode), listening."""
    app = init_app(core)
    if telegram is not None and _webhook(settings):
        telegram.mount_webhook(app)
    runner = make_runner(
        app, access_log=settings.web.access_log, shutdown_timeout=SHUTDOWN_GRACE
    )
    await runner.setup()
    stack.push_async_callback(runner.cleanup)
    site = web.TCPSite(runner, settings.web.host, settings.web.port)
    try:
        await site.start()
    except OSError as exc:  # port taken, address not on this machine, no permission
        raise StartupError(
            f"cannot listen on {settings.web.host}:{settings.web.port}: {exc.strerror} "
            "(set web.port or THOTTOPILOT_WEB__PORT to a free port)"
        ) from exc
    log.info("web companion on http://%s:%s", settings.web.host, settings.web.port)


async def _start_discord(core: Core, dispatcher: Dispatcher, stack: AsyncExitStack,
                         serializer: ChatSerializer) -> None:
    """With discord.token set, the Discord bot runs in this loop (in the background: a
    slow Discord does not hold up the rest) and stops with the service. On PostgreSQL,
    where processes multiply, only the holder of the gateway lease connects: Discord
    would hand each interaction to every session of the bot."""
    settings = core.settings.discord
    if settings.token is None:
        return
    from bot.discord.adapter import DiscordAdapter

    @asynccontextmanager
    async def listen() -> AsyncIterator[Listening]:
        adapter = DiscordAdapter(settings, dispatcher, serializer)
        async with adapter.running():
            yield adapter.listening

    if core.db.dialect != "postgresql":
        await stack.enter_async_context(listen())
        return
    token = settings.token.get_secret_value()
    lease = Lease(core.db, core.clock, f"discord.gateway:{_digest(token)}")
    await stack.enter_async_context(
        while_leading(lease, core.clock, listen, "the Discord gateway"))


@asynccontextmanager
async def _telegram_listening(telegram: TelegramAdapter, core: Core) -> AsyncIterator[None]:
    """Webhook: every bot process consumes the inbox. Polling: on PostgreSQL only the
    holder of the polling lease polls (Telegram refuses a second getUpdates)."""
    settings = core.settings

    @asynccontextmanager
    async def listen() -> AsyncIterator[Listening]:
        # Telegram may be down at start; the web companion must not wait for it.
        connecting = asyncio.create_task(_connect_telegram(telegram, settings, core.clock))

        def listening() -> Heard:  # still trying, or connected; not once it gave up
            if not connecting.done():
                return Heard.LISTENING
            outcome = connecting.result()
            return Heard.LISTENING if isinstance(outcome, AsyncExitStack) else outcome

        try:
            yield listening
        finally:
            await _disconnect_telegram(connecting)

    if _webhook(settings) or core.db.dialect != "postgresql":
        async with listen():
            yield
        return
    assert settings.telegram.token is not None
    lease = Lease(core.db, core.clock,
                  f"telegram.polling:{_digest(settings.telegram.token.get_secret_value())}")
    async with while_leading(lease, core.clock, listen, "Telegram polling"):
        yield


def _digest(token: str) -> str:
    """A bot's lease name part: stable per token, and not the token."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def _telegram(
    settings: Settings, dispatcher: Dispatcher, serializer: ChatSerializer,
) -> TelegramAdapter | None:
    if settings.telegram.token is None:
        return None
    from bot.telegram.adapter import TelegramAdapter
    from bot.telegram.payments import install as install_payments

    adapter = TelegramAdapter(settings.telegram, dispatcher, serializer)
    install_payments(adapter.application, dispatcher)  # pre-checkout queries (Stars)
    return adapter


TELEGRAM_BACKOFF = Backoff(base=1.0, cap=60.0)  # seconds between attempts to reach Telegram


async def _connect_telegram(
    telegram: TelegramAdapter, settings: Settings, clock: Clock
) -> AsyncExitStack | Heard:
    """Start polling (or register the webhook), retrying with backoff until Telegram
    answers; a rejected token is final. Returns the stack that stops it again, or why it
    gave up: Heard.REFUSED for a rejected token (no process can do better), else
    Heard.STOPPED (the bot stays off here; a lease holder lets another process try)."""
    from sqlalchemy.exc import SQLAlchemyError
    from telegram.error import InvalidToken, RetryAfter, TelegramError

    def classify(error: Exception) -> Verdict:
        if isinstance(error, RetryAfter):
            return retry_after(error.retry_after.total_seconds()
                               if isinstance(error.retry_after, timedelta)
                               else float(error.retry_after))
        if isinstance(error, InvalidToken):
            return GIVE_UP
        # Network trouble, Telegram's 5xx, a database blip while claiming the webhook's
        # registration; anything else is ours, and final.
        return RETRY if isinstance(error, TelegramError | OSError | SQLAlchemyError) \
            else GIVE_UP

    async def attempt(_: Attempt) -> AsyncExitStack:
        async with AsyncExitStack() as stack:
            if settings.telegram.mode is TelegramMode.WEBHOOK:
                await stack.enter_async_context(telegram.webhook(settings.public_base_url))
            else:
                await stack.enter_async_context(telegram.polling())
            return stack.pop_all()

    def on_retry(event: RetryEvent) -> None:
        log.warning("telegram unreachable (%s: %s); the web companion stays up, "
                    "retrying in %.1f s", type(event.error).__name__, event.error, event.delay)

    try:
        connected = await retry(
            attempt,
            policy=RetryPolicy(max_attempts=None, backoff=TELEGRAM_BACKOFF),
            classify=classify, clock=clock, on_retry=on_retry,
        )
    except Exception as exc:  # only a final verdict ends the loop
        if isinstance(exc, InvalidToken):
            log.error("telegram refused the bot token (%s); the Telegram bot stays off, "
                      "the web companion keeps running", exc)
            return Heard.REFUSED
        log.exception("the Telegram bot could not start; the web companion keeps running")
        return Heard.STOPPED
    log.info("telegram connected")
    return connected


async def _disconnect_telegram(connecting: asyncio.Task[AsyncExitStack | Heard]) -> None:
    """Stop Telegram if it connected; stop trying if it has not yet."""
    if not connecting.done():
        connecting.cancel()
    try:
        connected = await connecting
    except asyncio.CancelledError:
        return
    if isinstance(connected, AsyncExitStack):
        await connected.aclose()
