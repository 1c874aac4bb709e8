"""The daily archival job: events older than `monitoring.archive_after_days` move to
`events_archive` in batches (each batch its own short transaction, so the live table is
never locked for long), then PostgreSQL gets `VACUUM ANALYZE events`.

Every process runs the schedule (aiocron, `monitoring.archive_cron` in
`monitoring.timezone`); the first to insert the day's `job_claims` row does the work.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from core.analytics.models import ArchivedEvent, JobClaim
from core.db.database import Database
from core.db.models import Event

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)

JOB = "events.archive"
BATCH = 1000
COLUMNS = ("id", "user_id", "kind", "data", "created_at", "transport", "session_id")


async def claim(db: Database, name: str, period: str, now: datetime) -> bool:
    """True for the one caller that claimed `name` for `period`."""
    try:
        async with db.session() as session:
            session.add(JobClaim(name=name, period=period, claimed_at=now, result={}))
    except IntegrityError:
        return False
    return True


async def finish(db: Database, name: str, period: str, now: datetime,
                 result: dict[str, Any]) -> None:
    async with db.session() as session:
        await session.execute(update(JobClaim).where(
            JobClaim.name == name, JobClaim.period == period)
            .values(finished_at=now, result=result))


async def archive_events(db: Database, cutoff: datetime, *, batch: int = BATCH) -> int:
    """Move events created before `cutoff`, oldest first; returns how many moved."""
    moved = 0
    columns = [getattr(Event, c) for c in COLUMNS]
    while True:
        async with db.session() as session:
            ids = list(await session.scalars(select(Event.id).where(
                Event.created_at < cutoff).order_by(Event.id).limit(batch)))
            if not ids:
                break
            await session.execute(insert(ArchivedEvent).from_select(
                list(COLUMNS), select(*columns).where(Event.id.in_(ids))))
            await session.execute(delete(Event).where(Event.id.in_(ids)))
        moved += len(ids)
    if moved and db.dialect == "postgresql":
        async with db.engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("VACUUM ANALYZE events"))
    return moved


async def run_once(core: Core, name: str, period: str,
                   work: Callable[[], Awaitable[int]], counted: str) -> int | None:
    """Run `work` if this process claims `name` for `period` (None when another has it);
    the claim row is finished with `{counted: <what work returned>}`."""
    if not await claim(core.db, name, period, core.clock.now()):
        return None
    count = await work()
    await finish(core.db, name, period, core.clock.now(), {counted: count})
    return count


def schedule(core: Core, cron: str, zone: str, job: str,
             run: Callable[[Core], Awaitable[object]]) -> Callable[[], None]:
    """Run `run(core)` on `cron` in `zone` in this process, reporting a failure as
    `job`; returns what stops the schedule."""
    import aiocron

    async def tick() -> None:
        try:
            await run(core)
        except Exception as exc:
            log.exception("%s job failed", job)
            await core.analytics.errors.capture(exc, "job", job=job)

    return aiocron.crontab(cron, func=tick, tz=ZoneInfo(zone), start=True).stop


async def run_archive(core: Core) -> int | None:
    """Today's run (in the configured zone); None when another process has it."""
    settings = core.settings.monitoring
    now = core.clock.now()
    period = now.astimezone(ZoneInfo(settings.timezone)).date().isoformat()
    moved = await run_once(core, JOB, period, lambda: archive_events(
        core.db, now - timedelta(days=settings.archive_after_days)), "moved")
    if moved is not None:
        log.info("archived %d events", moved)
    return moved


def start_archival(core: Core) -> Callable[[], None]:
    """Schedule the daily run in this process; returns what stops the schedule."""
    settings = core.settings.monitoring
    return schedule(core, settings.archive_cron, settings.timezone, "archive", run_archive)
