"""The composition point: build Core once, then run web + chat transports in one loop."""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import AsyncExitStack

from aiohttp import web

from bot.cli.common import build_dispatcher
from bot.telegram.adapter import TelegramAdapter
from core.bootstrap import open_core
from core.settings import Settings, TelegramMode
from web.app import init_app

log = logging.getLogger(__name__)

SHUTDOWN_GRACE = 4.0


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until `stop` is set (or SIGINT/SIGTERM), then shut down within ~5 s."""
    stop = stop or asyncio.Event()
    _install_signal_handlers(stop)
    async with AsyncExitStack() as stack:
        core = await stack.enter_async_context(open_core(settings))
        dispatcher = build_dispatcher(core)
        app = init_app(core)
        runner = web.AppRunner(app, shutdown_timeout=SHUTDOWN_GRACE)
        await runner.setup()
        stack.push_async_callback(runner.cleanup)
        site = web.TCPSite(runner, settings.web.host, settings.web.port)
        await site.start()
        log.info("web companion on http://%s:%s", settings.web.host, settings.web.port)
        if settings.telegram.token is not None:
            if settings.telegram.mode is TelegramMode.WEBHOOK:
                log.warning("telegram webhook mode is not available yet; using polling")
            adapter = TelegramAdapter(settings.telegram, dispatcher)
            await stack.enter_async_context(adapter.polling())
        url = f"http://{settings.web.host}:{settings.web.port}"
        print(f"ThottoPilot is running on {url} (Ctrl+C to stop)", flush=True)
        await stop.wait()
        log.info("shutting down")


def _install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # non-main thread or Windows
            return
