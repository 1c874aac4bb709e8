"""The one place that builds `Core` from `Settings`.

Everything stateful (engine, HTTP clients, services) is created here, at run time, and
torn down in reverse order. Tests call `open_core` with their own settings and clock
and point every base URL at local fake servers; nothing is patched.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from core.captions.providers.factory import build_chain
from core.captions.service import CaptionService
from core.clock import Clock, SystemClock
from core.db import migrate
from core.db.database import Database
from core.events import EventLog
from core.reddit.service import RedditService
from core.secrets import resolve_secret_key
from core.settings import Settings
from core.users import UserService
from core.version import __version__

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
    version: str = __version__


@asynccontextmanager
async def open_core(
    settings: Settings, *, clock: Clock | None = None, run_migrations: bool = True
) -> AsyncIterator[Core]:
    """Build `Core`, migrate the database, and dispose of it all on exit."""
    clock = clock or SystemClock()
    async with AsyncExitStack() as stack:
        db = Database(settings.database_url, echo=settings.database.echo)
        stack.push_async_callback(db.dispose)
        if run_migrations:
            await migrate.upgrade(db)
        events = EventLog(clock)
        core = Core(
            settings=settings,
            clock=clock,
            db=db,
            events=events,
            users=UserService(clock, events),
            secret_key=resolve_secret_key(settings),
            reddit=RedditService(settings, resolve_secret_key(settings), clock, events),
            captions=CaptionService(settings, clock, events, build_chain(settings.ai)),
        )
        stack.push_async_callback(core.captions.aclose)
        core.reddit.shield = getattr(core, "imageshield", None)
        log.info("core ready (database: %s)", db.dialect)
        yield core
