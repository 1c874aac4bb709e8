"""SIGINT/SIGTERM as an `asyncio.Event`, for every long-running command (serve, worker)."""

from __future__ import annotations

import asyncio
import signal
from contextlib import AsyncExitStack


def stop_on_signals(stop: asyncio.Event, stack: AsyncExitStack) -> None:
    """SIGINT/SIGTERM set `stop`; the handlers are removed again when `stack` closes."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # non-main thread or Windows
            return
        stack.callback(loop.remove_signal_handler, sig)
