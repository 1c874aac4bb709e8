"""The loop that runs due outcome checks and, every few hours, the account health
sweep (core.outcomes.health); started with the posting worker.

Checks are cheap and few (three per post, hours apart), so one loop per process with a
small batch is plenty; many processes share the work through the claims. The sweep
spends the shared Reddit budget, so of all worker processes only the first to claim
a six-hour slot (`job_claims`) sweeps in it. Its pauses and the sweep's period are
measured on the injected clock (core.clock), like every other wait.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from core.clock import idle
from core.outcomes.checker import OutcomeChecker
from core.outcomes.health import HealthService

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)
BATCH = 8
HEALTH_EVERY = 6 * 3600.0  # seconds between account health sweeps (per process)
SWEEP_JOB = "outcomes.health_sweep"


class OutcomeWorker:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.checker = OutcomeChecker(core)
        self.health = HealthService(core)
        self.poll = max(core.settings.posting.poll_seconds, 5.0)
        self.clock = core.clock
        self._last_sweep = self.clock.monotonic()  # the first sweep waits a period after start

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                handled = await self.checker.run_due(BATCH)
            except Exception:
                log.exception("outcome checks failed; trying again")
                handled = 0
            if self.clock.monotonic() - self._last_sweep > HEALTH_EVERY:
                self._last_sweep = self.clock.monotonic()
                try:
                    await self.sweep_if_ours()
                except Exception:
                    log.exception("account health sweep failed")
            if handled < BATCH:
                await idle(self.clock, stop, self.poll)

    async def sweep_if_ours(self) -> bool:
        """Sweep unless another process already swept in this six-hour slot."""
        from core.analytics.archive import claim

        now = self.core.clock.now()
        slot = f"{now:%Y-%m-%d}T{now.hour // 6 * 6:02d}"
        if not await claim(self.core.db, SWEEP_JOB, slot, now):
            return False
        await self.health.sweep()
        return True
