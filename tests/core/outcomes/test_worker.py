"""The account health sweep spends the shared Reddit budget: of several worker
processes (two Cores on one database), one sweeps in each six-hour slot."""

from __future__ import annotations

from datetime import timedelta

from core.bootstrap import open_core
from core.outcomes.worker import OutcomeWorker


async def test_of_two_worker_processes_one_sweeps_each_six_hour_slot(core, settings, clock):
    async with open_core(settings, clock=clock) as other:
        workers = [OutcomeWorker(core), OutcomeWorker(other)]
        assert [await w.sweep_if_ours() for w in workers] == [True, False]
        clock.advance(timedelta(hours=6))
        assert [await w.sweep_if_ours() for w in reversed(workers)] == [True, False]
