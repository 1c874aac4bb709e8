"""The account health sweep spends the shared Reddit budget: of several worker
processes (two Cores on one database), one sweeps in each six-hour slot. The running
loop rests and counts its six hours on the injected clock, so the specs move it on with
`FakeClock.advance`."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.bootstrap import open_core
from core.outcomes.checker import DONE
from core.outcomes.worker import HEALTH_EVERY, OutcomeWorker
from core.posting.models import State
from tests.core.outcomes.conftest import HOUR, checks_of, live_post

CEILING = 60.0  # seconds: a loaded machine's bound, never a speed assertion


async def test_of_two_worker_processes_one_sweeps_each_six_hour_slot(core, settings, clock):
    async with open_core(settings, clock=clock) as other:
        workers = [OutcomeWorker(core), OutcomeWorker(other)]
        assert [await w.sweep_if_ours() for w in workers] == [True, False]
        clock.advance(timedelta(hours=6))
        assert [await w.sweep_if_ours() for w in reversed(workers)] == [True, False]


async def test_the_worker_looks_at_a_check_when_it_falls_due_on_the_clock(
        core, posting, user, account, fake_reddit, subs, clock):
    await live_post(posting, user, account, fake_reddit)
    stop = asyncio.Event()
    running = asyncio.create_task(OutcomeWorker(core).run(stop))
    async with asyncio.timeout(CEILING):
        await clock.parked(running)  # nothing due yet: resting
        assert [c.state for c in await checks_of(core)] == [State.QUEUED] * 3
        clock.advance(HOUR)
        await clock.parked(running)  # woke, looked, resting again
        assert [c.state for c in await checks_of(core)] == [DONE, State.QUEUED, State.QUEUED]
        stop.set()
        await running


async def test_the_running_worker_sweeps_once_six_hours_have_passed_on_the_clock(core, clock):
    stop = asyncio.Event()
    running = asyncio.create_task(OutcomeWorker(core).run(stop))
    async with asyncio.timeout(CEILING):
        await clock.parked(running)
        clock.advance(timedelta(seconds=HEALTH_EVERY + 1))
        await clock.parked(running)  # it swept this slot, so another process does not
        assert await OutcomeWorker(core).sweep_if_ours() is False
        stop.set()
        await running
