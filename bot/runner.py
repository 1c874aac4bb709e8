"""`serve`: build Core once, then run web + chat transports in one loop.

Start and stop are part of the product: the heavy Telegram client is imported only
when a token is configured, and a stop (SIGINT/SIGTERM) gives in-flight requests a
short grace, well inside the 2 s an orchestrator allows before it kills us.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING

from aiohttp import web

from bot.app import build_dispatcher, build_serializer
from core.bootstrap import open_core
from core.settings import Settings, TelegramMode
from web.app import init_app
from web.server import make_runner

if TYPE_CHECKING:
    from bot.conversation.dispatcher import Dispatcher
    from bot.telegram.adapter import TelegramAdapter

log = logging.getLogger(__name__)

# Seconds a request still running at stop may take before it is cancelled.
SHUTDOWN_GRACE = 1.0


class StartupError(Exception):
    """Something the operator must fix before the service can run; one clear line."""


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until `stop` is set (or SIGINT/SIGTERM), then shut down within ~2 s."""
    stop = stop or asyncio.Event()
    async with AsyncExitStack() as stack:
        _install_signal_handlers(stop, stack)
        core = await stack.enter_async_context(open_core(settings))
        dispatcher = build_dispatcher(core)
        app = init_app(core)
        telegram = _telegram(settings, dispatcher, app)
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
        if telegram is not None:
            if settings.telegram.mode is TelegramMode.WEBHOOK:
                await stack.enter_async_context(telegram.webhook(settings.public_base_url))
            else:
                await stack.enter_async_context(telegram.polling())
        url = f"http://{settings.web.host}:{settings.web.port}"
        print(f"ThottoPilot is running on {url} (Ctrl+C to stop)", flush=True)
        await stop.wait()
        log.info("shutting down")


def _telegram(
    settings: Settings, dispatcher: Dispatcher, app: web.Application
) -> TelegramAdapter | None:
    if settings.telegram.token is None:
        return None
    from bot.telegram.adapter import TelegramAdapter

    adapter = TelegramAdapter(
        settings.telegram, dispatcher, build_serializer(dispatcher.core)
    )
    if settings.telegram.mode is TelegramMode.WEBHOOK:
        adapter.mount_webhook(app)
    return adapter


def _install_signal_handlers(stop: asyncio.Event, stack: AsyncExitStack) -> None:
    """SIGINT/SIGTERM set `stop`; the handlers are removed again when serving ends."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # non-main thread or Windows
            return
        stack.callback(loop.remove_signal_handler, sig)
