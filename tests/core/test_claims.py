"""Claim heartbeats: a live owner keeps beating, a dead one is recognised in seconds."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from core import claims
from core.db.models import ConversationState
from core.users import Who
from tests.fakes.clock import FakeClock

CEILING = 60  # seconds to wait for an event; never part of what is asserted


def test_a_claim_is_stale_only_after_several_missed_beats(clock: FakeClock):
    beat = clock.now()
    assert not claims.is_stale(beat, beat + claims.BEAT_EVERY * 3)
    assert not claims.is_stale(beat, beat + claims.STALE_AFTER)
    assert claims.is_stale(beat, beat + claims.STALE_AFTER + timedelta(seconds=1))
    assert timedelta(minutes=1) > claims.STALE_AFTER  # the creator waits seconds


async def test_the_heartbeat_beats_each_interval_while_the_work_runs(clock: FakeClock):
    beats: asyncio.Queue[object] = asyncio.Queue()

    async def beat() -> None:
        beats.put_nowait(clock.now())

    async with claims.heartbeat(beat, clock):
        await asyncio.sleep(0)  # the heartbeat task starts and waits on the clock
        assert beats.empty()  # the claim's commit is the first beat
        for _ in range(3):
            clock.advance(claims.BEAT_EVERY)
            assert await asyncio.wait_for(beats.get(), CEILING) == clock.now()


async def test_the_heartbeat_stops_when_the_work_ends(clock: FakeClock):
    beats: list[object] = []

    async def beat() -> None:
        beats.append(clock.now())

    async with claims.heartbeat(beat, clock):
        pass
    clock.advance(claims.BEAT_EVERY * 10)
    await asyncio.sleep(0)
    assert beats == []
    assert clock.sleeps in ([], [claims.BEAT_EVERY.total_seconds()])


async def test_a_failed_beat_does_not_stop_the_next_ones(clock: FakeClock):
    calls: asyncio.Queue[int] = asyncio.Queue()
    count = 0

    async def beat() -> None:
        nonlocal count
        count += 1
        calls.put_nowait(count)
        if count == 1:
            raise RuntimeError("database is locked")

    async with claims.heartbeat(beat, clock):
        await asyncio.sleep(0)
        clock.advance(claims.BEAT_EVERY)
        assert await asyncio.wait_for(calls.get(), CEILING) == 1
        clock.advance(claims.BEAT_EVERY)
        assert await asyncio.wait_for(calls.get(), CEILING) == 2


async def test_a_beat_moves_the_row_on_without_breaking_its_owners_next_commit(core, clock):
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("console", "alice"))
        session.add(ConversationState(transport="console", chat_id="c", user_id=user.id,
                                      flow="post", step="posting", data={},
                                      updated_at=clock.now()))
    async with core.db.session() as owner:  # the run, holding the row it loaded
        mine = (await owner.scalars(select(ConversationState))).one()
        await owner.commit()
        clock.advance(claims.BEAT_EVERY)
        await claims.touch_conversation(core.db, mine.id, clock.now())
        assert await _stored(core) == (clock.now(), {})
        mine.data = {"progress": 1}  # the owner's next commit still wins its version check
    assert (await _stored(core))[1] == {"progress": 1}


async def _stored(core):
    async with core.db.read() as session:
        row = (await session.scalars(select(ConversationState))).one()
        return row.updated_at, row.data
