"""Events counted with `emit` are written in the background, in batches, and none are
lost: a failed batch is tried again, and a clean shutdown writes what is pending."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from core.analytics.writer import EventWriter
from core.bootstrap import open_core
from core.db.database import Database
from core.db.models import Event
from core.events import EventKind, EventLog, origin
from core.settings import Settings
from tests.fakes.clock import FakeClock


async def _count(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Event)) or 0)


async def test_emit_does_not_touch_the_database_until_a_flush(database_url, clock):
    db = Database(database_url)
    writer = EventWriter(db, clock, batch_size=10)
    EventLog(clock, writer).emit(EventKind.FEATURE_USED, None, feature="caption")
    assert (writer.pending, await _count(db)) == (1, 0)
    assert await writer.flush() == 1
    assert await _count(db) == 1
    await db.dispose()


async def test_a_clean_shutdown_writes_every_pending_event(settings: Settings, clock):
    async with open_core(settings, clock=clock) as core:
        for n in range(450):  # more than two batches
            core.events.emit(EventKind.FEATURE_USED, None, feature="protect", n=n)
    db = Database(settings.database_url)
    assert await _count(db) == 450
    await db.dispose()


async def test_a_failed_flush_keeps_the_batch_and_the_retry_writes_it(database_url, clock):
    db = Database(database_url)
    writer = EventWriter(db, clock, batch_size=10)
    log = EventLog(clock, writer)
    for n in range(3):
        log.emit(EventKind.FEATURE_USED, None, feature="post", n=n)
    async with db.engine.begin() as conn:  # the table is briefly gone: a real failure
        await conn.execute(text("ALTER TABLE events RENAME TO events_away"))
    with pytest.raises(DBAPIError, match="events"):
        await writer.flush()
    assert writer.pending == 3
    async with db.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE events_away RENAME TO events"))
    assert await writer.flush() == 3
    async with db.read() as session:
        kept = list(await session.scalars(select(Event.data).order_by(Event.id)))
    assert [d["n"] for d in kept] == [0, 1, 2]
    await db.dispose()


async def test_the_background_task_writes_once_the_interval_has_passed(database_url):
    clock = FakeClock()
    db = Database(database_url)
    writer = EventWriter(db, clock, interval=2.0)
    writer.start()
    EventLog(clock, writer).emit(EventKind.FEATURE_USED, None, feature="voice")
    async with asyncio.timeout(60):
        while await _count(db) < 1:
            clock.advance(timedelta(seconds=3))
            await asyncio.sleep(0.01)
    assert writer.pending == 0
    await writer.aclose()
    await db.dispose()


async def test_a_full_batch_is_written_without_waiting_for_the_interval(database_url, clock):
    db = Database(database_url)
    writer = EventWriter(db, clock, batch_size=5, interval=3600)
    writer.start()
    log = EventLog(clock, writer)
    for n in range(5):
        log.emit(EventKind.FEATURE_USED, None, feature="caption", n=n)
    async with asyncio.timeout(60):
        while await _count(db) < 5:  # noqa: ASYNC110 (polling the database, not a flag)
            await asyncio.sleep(0.01)
    assert writer.pending == 0
    await writer.aclose()
    await db.dispose()


async def test_events_carry_the_transport_and_session_of_their_origin(database_url, clock):
    db = Database(database_url)
    writer = EventWriter(db, clock)
    log = EventLog(clock, writer)
    with origin("telegram", "telegram:42"):
        log.emit(EventKind.FEATURE_USED, None, feature="caption")
    async with db.session() as session:
        with origin("web", "web:abc"):
            await log.record(session, EventKind.SIGNUP, None)
    await writer.flush()
    async with db.read() as session:
        rows = (await session.execute(
            select(Event.kind, Event.transport, Event.session_id).order_by(Event.id))).all()
    assert [tuple(r) for r in rows] == [("user.created", "web", "web:abc"),
                                        ("feature.used", "telegram", "telegram:42")]
    await db.dispose()


async def test_an_event_of_a_user_who_is_gone_is_kept_without_the_user(database_url, clock):
    db = Database(database_url)
    writer = EventWriter(db, clock)
    log = EventLog(clock, writer)
    log.emit(EventKind.FEATURE_USED, 999_999, feature="caption")  # no such user
    log.emit(EventKind.FEATURE_USED, None, feature="protect")
    assert await writer.flush() == 2
    async with db.read() as session:
        rows = (await session.execute(
            select(Event.user_id, Event.data).order_by(Event.id))).all()
    assert [(u, d["feature"]) for u, d in rows] == [(None, "caption"), (None, "protect")]
    await db.dispose()


async def test_the_background_task_retries_a_failed_batch_by_itself(database_url):
    clock = FakeClock()
    db = Database(database_url)
    writer = EventWriter(db, clock, interval=1.0)
    async with db.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE events RENAME TO events_away"))
    writer.start()
    EventLog(clock, writer).emit(EventKind.FEATURE_USED, None, feature="caption")
    async with asyncio.timeout(60):
        while not writer.failures:
            clock.advance(timedelta(seconds=1))
            await asyncio.sleep(0.01)
    async with db.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE events_away RENAME TO events"))
    async with asyncio.timeout(60):
        while await _count(db) < 1:
            clock.advance(timedelta(seconds=5))
            await asyncio.sleep(0.01)
    assert writer.pending == 0
    await writer.aclose()
    await db.dispose()
