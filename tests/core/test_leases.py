"""A lease: one holder at a time across processes (two `Lease` objects stand for two
processes on one database, SQLite and PostgreSQL); time moves on a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from core.db.database import Database
from core.leases import STALE, Lease
from tests.fakes.clock import FakeClock

CEILING = 60.0  # seconds: a loaded machine's bound, never a speed assertion


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


def _two(db: Database, clock: FakeClock) -> tuple[Lease, Lease]:
    return Lease(db, clock, "gateway"), Lease(db, clock, "gateway")


async def test_of_processes_asking_at_once_exactly_one_holds(db, clock):
    leases = [Lease(db, clock, "gateway") for _ in range(4)]
    taken = await asyncio.gather(*(lease.take() for lease in leases))
    assert sorted(taken) == [False, False, False, True]


async def test_a_beating_holder_keeps_the_lease(db, clock):
    holder, standby = _two(db, clock)
    assert await holder.take()
    for _ in range(10):  # far past STALE in total, but beaten all along
        clock.advance(holder.beat)
        assert await holder.renew()
        assert not await standby.take()


async def test_a_silent_holder_is_taken_over_and_learns_it_at_its_next_beat(db, clock):
    holder, standby = _two(db, clock)
    assert await holder.take()
    clock.advance(STALE / 2)
    assert not await standby.take()  # silent, but not for long enough yet
    clock.advance(STALE)
    assert await standby.take()
    assert not await holder.renew()  # stop listening: someone else does now
    assert not holder.held
    assert await standby.renew()


async def test_a_clean_stop_hands_over_at_once(db, clock):
    holder, standby = _two(db, clock)
    assert await holder.take()
    await holder.release()
    assert await standby.take()


async def test_leases_of_different_things_do_not_exclude_each_other(db, clock):
    assert await Lease(db, clock, "discord").take()
    assert await Lease(db, clock, "telegram").take()


async def test_a_holder_that_cannot_beat_for_half_the_stale_time_lets_go(db, clock):
    holder = Lease(db, clock, "gateway")
    assert await holder.take()
    async with db.session() as session:  # the lease's table out of reach
        await session.execute(text("ALTER TABLE job_claims RENAME TO job_claims_away"))
    clock.advance(timedelta(seconds=1))
    assert await holder.renew()  # one missed beat is not a loss
    clock.advance(STALE / 2)
    assert not await holder.renew()  # it stops before anyone may take over


async def test_a_beat_that_failed_after_hanging_past_the_stale_time_lets_go(
    db, clock, monkeypatch
):
    holder, standby = _two(db, clock)
    assert await holder.take()

    async def hangs_then_fails(expected, now):  # a dead TCP connection, found out late
        clock.advance(STALE + holder.beat)
        raise OperationalError("UPDATE job_claims", {}, ConnectionError("timed out"))

    monkeypatch.setattr(holder, "_swap", hangs_then_fails)
    clock.advance(holder.beat)
    assert not await holder.renew()  # the time the beat took counts: a standby may hold it
    assert await standby.take()


async def test_a_beat_that_hangs_is_cut_at_half_the_stale_time_and_lets_go(
    db, clock, monkeypatch
):
    holder = Lease(db, clock, "gateway")
    assert await holder.take()

    async def hangs(expected, now):
        await asyncio.Event().wait()  # the UPDATE's answer never comes

    monkeypatch.setattr(holder, "_swap", hangs)
    clock.advance(holder.beat)
    beat = asyncio.create_task(holder.renew())
    await asyncio.wait_for(clock.parked(beat), CEILING)
    clock.advance(STALE / 2 - holder.beat)
    assert not await asyncio.wait_for(beat, CEILING)  # before anyone may take over
    assert not holder.held
