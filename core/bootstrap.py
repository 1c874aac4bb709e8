"""The one place that builds `Core` from `Settings`.

Everything stateful (engine, HTTP clients, services) is created here, at run time, and
torn down in reverse order. Tests call `open_core` with their own settings and clock
and point every base URL at local fake servers; nothing is patched.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.analytics.service import Analytics
from core.analytics.writer import EventWriter
from core.billing.service import BillingService
from core.captions.providers.factory import build_chain
from core.captions.service import CaptionService
from core.clock import Clock, SystemClock
from core.db import migrate
from core.db.database import Database, ensure_private_dir
from core.events import EventLog
from core.imageshield.service import ImageShield
from core.imageshield.spec import ShieldLimits
from core.outbound import OutboundLimiter, build_limiter
from core.secrets import resolve_secret_key
from core.settings import Settings
from core.users import UserService
from core.version import __version__

if TYPE_CHECKING:
    from core.auth.service import Auth
    from core.reddit.service import RedditService

log = logging.getLogger(__name__)


@dataclass
class Core:
    """Everything that is true whatever the front door."""

    settings: Settings
    clock: Clock
    db: Database
    events: EventLog
    users: UserService
    secret_key: bytes
    reddit: RedditService
    captions: CaptionService
    imageshield: ImageShield
    auth: Auth
    billing: BillingService
    analytics: Analytics
    outbound: OutboundLimiter  # messages the bots send (core.outbound)
    version: str = __version__


def build_imageshield(settings: Settings, executor: Executor | None = None) -> ImageShield:
    """The shield with this deployment's input limits (also used by the CLI, no `Core`).

    Free to build: the image stack is imported, and BLAS pinned, with the first photo.
    """
    limits = ShieldLimits(
        max_bytes=settings.limits.max_upload_bytes,
        max_pixels=settings.limits.max_image_pixels,
    )
    return ImageShield(limits, executor=executor)


def shield_executor(settings: Settings) -> ThreadPoolExecutor:
    """A bounded pool for protections, so a burst of photos cannot starve the process.

    Threads, not processes: profiled on a 12 MP photo, about two thirds of a protection
    is Pillow C code (decode, point, add, resample, JPEG encode) that releases the GIL;
    the Python-level rest is a few hundred tiny numpy products on a <= 512 px copy. A
    process pool would pickle up to `max_upload_bytes` in and the result out per photo
    and keep a numpy/scipy/Pillow interpreter per worker. (The dev box has one CPU's worth
    of compute, so no pool could show a parallel speed-up there: re-measure on production
    hardware before switching.) The bound is also the memory bound: a running protection
    needs ~15-20 bytes per pixel, hence `limits.shield_workers` (default one per CPU).
    """
    workers = settings.limits.shield_workers or os.cpu_count() or 1
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="imageshield")


async def _shutdown(executor: ThreadPoolExecutor) -> None:
    """Drop queued protections, wait (off the loop) for running ones to finish."""
    await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)


@asynccontextmanager
async def open_core(
    settings: Settings, *, clock: Clock | None = None, run_migrations: bool = True
) -> AsyncIterator[Core]:
    """Build `Core`, migrate the database, and dispose of it all on exit."""
    from core.auth.service import Auth
    from core.posting.budget import ApiBudgetLedger
    from core.reddit.service import RedditService  # asyncpraw: not for `protect` alone

    clock = clock or SystemClock()
    async with AsyncExitStack() as stack:
        ensure_private_dir(settings.app.data_dir)  # the secret key and uploads live there
        dbs = settings.database
        db = Database(settings.database_url, echo=dbs.echo, pool_size=dbs.pool_size,
                      max_overflow=dbs.max_overflow, pool_timeout=dbs.pool_timeout,
                      pool_pre_ping=dbs.pool_pre_ping)
        stack.push_async_callback(db.dispose)
        if run_migrations:
            await migrate.upgrade(db)
        writer = EventWriter(db, clock)
        writer.start()
        stack.push_async_callback(writer.aclose)  # before db.dispose: drains the buffer
        events = EventLog(clock, writer)
        secret_key = resolve_secret_key(settings)
        executor = shield_executor(settings)
        stack.push_async_callback(_shutdown, executor)
        users = UserService(clock, events)
        billing = BillingService(settings, clock, events)
        core = Core(
            settings=settings,
            clock=clock,
            db=db,
            events=events,
            users=users,
            secret_key=secret_key,
            reddit=RedditService(settings, secret_key, clock, events),
            captions=CaptionService(settings, clock, events, build_chain(settings.ai),
                                    billing=billing),
            imageshield=build_imageshield(settings, executor),
            auth=Auth(settings, secret_key, clock, users),
            billing=billing,
            analytics=Analytics(settings, db, clock, events, billing.plans),
            outbound=build_limiter(settings, clock),
        )
        stack.push_async_callback(core.outbound.aclose)
        stack.push_async_callback(core.captions.aclose)
        core.reddit.shield = core.imageshield
        # rules fetches and connects reserve from the one shared Reddit budget
        core.reddit.budget.ledger = ApiBudgetLedger.for_core(core)
        core.imageshield.events = events
        core.captions.subreddit_rules = core.reddit.subreddits  # live rules win for captions
        log.info("core ready (database: %s)", db.dialect)
        yield core
