"""`ImageShield`: what `Core` and the CLI hold; the pixel engine loads with the first photo.

numpy, scipy, Pillow and imagehash cost a few hundred milliseconds and tens of MiB to
import. A bot that is started, asked for `/healthz` or for captions only, never needs
them, so this front object is free to build and `shield.py` (the engine) is imported,
and BLAS pinned to one thread, the first time a photo is actually protected.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from concurrent.futures import Executor
from typing import TYPE_CHECKING

from core.events import EventKind
from core.imageshield.levels import Chain, Level
from core.imageshield.spec import ShieldLimits

if TYPE_CHECKING:
    from core.events import EventLog
    from core.imageshield.report import ProtectedImage

_engine_lock = threading.Lock()
_engine_ready = False


def _load_engine() -> None:
    """Import the engine once per process and pin BLAS (after numpy is loaded, or the
    pin would find no BLAS to limit)."""
    global _engine_ready
    with _engine_lock:
        if not _engine_ready:
            from core.imageshield.shield import pin_blas_threads

            pin_blas_threads()
            _engine_ready = True


class ImageShield:
    """Protect photos against re-identification while keeping them pleasant to look at."""

    def __init__(self, limits: ShieldLimits | None = None,
                 executor: Executor | None = None) -> None:
        self.limits = limits or ShieldLimits()
        self._executor = executor
        self.events: EventLog | None = None  # set by `Core`: counts protections

    def protect(self, data: bytes, level: str | Level | Chain = Level.STANDARD, *,
                seed: int | None = None, output_format: str = "auto",
                watermark: str | None = None) -> ProtectedImage:
        """Protect ``data``; raises `ImageRejected` for unusable input or arguments."""
        _load_engine()
        from core.imageshield.shield import protect_image

        return protect_image(data, self.limits, level, seed=seed,
                             output_format=output_format, watermark=watermark)

    async def protect_async(self, data: bytes, level: str | Level | Chain = Level.STANDARD,
                            *, seed: int | None = None, output_format: str = "auto",
                            watermark: str | None = None, user_id: int | None = None
                            ) -> ProtectedImage:
        """`protect` off the event loop (the given executor, else a worker thread)."""
        call = functools.partial(self.protect, data, level, seed=seed,
                                 output_format=output_format, watermark=watermark)
        if self._executor is None:
            result = await asyncio.to_thread(call)
        else:
            result = await asyncio.get_running_loop().run_in_executor(self._executor, call)
        if self.events is not None:
            name = level.value if isinstance(level, Level) else str(level)
            self.events.emit(EventKind.IMAGE_PROTECTED, user_id, level=name[:32])
            self.events.feature_used("protect", user_id)
        return result
