"""The loop that runs due outcome checks, started with the posting worker.

Checks are cheap and few (three per post, hours apart), so one loop per process with a
small batch is plenty; many processes share the work through the claims.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from core.outcomes.checker import OutcomeChecker

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)
BATCH = 8


class OutcomeWorker:
    def __init__(self, core: Core) -> None:
        self.checker = OutcomeChecker(core)
        self.poll = max(core.settings.posting.poll_seconds, 5.0)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                handled = await self.checker.run_due(BATCH)
            except Exception:
                log.exception("outcome checks failed; trying again")
                handled = 0
            if handled < BATCH:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.poll)
