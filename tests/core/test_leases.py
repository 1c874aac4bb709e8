"""A lease: one holder at a time across processes (two `Lease` objects stand for two
processes on one database, SQLite and PostgreSQL); time moves on a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from sqlalchemy import text

from core.db.database import Database
from core.leases import STALE, Lease
from tests.fakes.clock import FakeClock

CEILING = 60.0  # seconds: a loaded machine's bound, never a speed assertion


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


@asynccontextmanager
async def _row_held(db: Database, database_url: str) -> AsyncIterator[None]:
    """The lease's row locked by another transaction until the block ends: the holder's
    next beat waits on it, as on a database that does not answer (PostgreSQL's row
    locks; SQLite writes one transaction at a time)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's")
    async with db.begin() as other:
        await other.execute(text("UPDATE job_claims SET result = result "
                                 "WHERE name = 'lease:gateway'"))
        yield


async def _beating(holder: Lease, clock: FakeClock) -> asyncio.Task[bool]:
    beat = asyncio.create_task(holder.renew())
    await asyncio.wait_for(clock.parked(beat), CEILING)
    return beat


async def test_a_beat_that_hangs_is_cut_before_anyone_may_take_over(
        db, clock, database_url):
    holder, standby = _two(db, clock)
    assert await holder.take()
    clock.advance(holder.beat)
    async with _row_held(db, database_url):
        beat = await _beating(holder, clock)
        clock.advance(STALE - 2 * holder.beat)  # one beat before a standby may take over
        assert not await asyncio.wait_for(beat, CEILING)
    assert not holder.held
    clock.advance(2 * holder.beat)  # past `stale` since the holder's last stamp
    assert await standby.take()


async def test_a_slow_beat_that_lands_keeps_the_lease_and_the_next_beat_too(
        db, clock, database_url):
    holder, standby = _two(db, clock)
    assert await holder.take()
    clock.advance(holder.beat)
    async with _row_held(db, database_url):
        beat = await _beating(holder, clock)
        clock.advance(holder.beat + timedelta(seconds=1))  # a busy database
    assert await asyncio.wait_for(beat, CEILING)
    clock.advance(holder.beat)
    assert await holder.renew()
    assert not await standby.take()
