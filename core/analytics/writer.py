"""Events written in batches in the background, so counting never slows a request.

`put` only appends to a list. A background task writes what is pending every
`interval` seconds, or sooner once `batch_size` rows wait, each batch in its own short
transaction. A batch that fails to write stays at the front of the buffer and is tried
again (with backoff); `aclose` writes everything still pending before the database
closes, so a clean shutdown loses nothing. The buffer has a ceiling: past `max_pending`
the oldest rows are dropped (and logged), so a database outage cannot exhaust memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from core.clock import Clock
from core.db.database import Database
from core.db.models import Event

log = logging.getLogger(__name__)


class EventWriter:
    def __init__(self, db: Database, clock: Clock, *, batch_size: int = 200,
                 interval: float = 2.0, max_pending: int = 50_000,
                 close_attempts: int = 5) -> None:
        self._db = db
        self._clock = clock
        self.batch_size = batch_size
        self.interval = interval
        self.max_pending = max_pending
        self.close_attempts = close_attempts
        self._pending: list[dict[str, Any]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0
        self.failures = 0

    @property
    def pending(self) -> int:
        return len(self._pending)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="event-writer")

    def put(self, row: dict[str, Any]) -> None:
        self._pending.append(row)
        if len(self._pending) > self.max_pending:
            excess = len(self._pending) - self.max_pending
            del self._pending[:excess]
            self.dropped += excess
            log.warning("event buffer full; %d oldest events dropped", excess)
        if len(self._pending) >= self.batch_size:
            self._wake.set()

    async def flush(self) -> int:
        """Write one batch; returns how many rows were written. On failure the batch
        goes back to the front of the buffer and the error propagates."""
        batch = self._pending[: self.batch_size]
        if not batch:
            return 0
        del self._pending[: len(batch)]
        try:
            try:
                async with self._db.session() as session:
                    await session.execute(insert(Event), batch)
            except IntegrityError:
                await self._one_by_one(batch)
        except BaseException:
            self._pending[:0] = batch
            raise
        return len(batch)

    async def _one_by_one(self, batch: list[dict[str, Any]]) -> None:
        """A row the database refuses (its user is gone) must not block the rest: it is
        written without the user instead."""
        async with self._db.session() as session:
            for row in batch:
                try:
                    async with session.begin_nested():
                        await session.execute(insert(Event), [row])
                except IntegrityError:
                    async with session.begin_nested():
                        await session.execute(insert(Event), [{**row, "user_id": None}])

    async def flush_all(self) -> int:
        written = 0
        while self._pending:
            written += await self.flush()
        return written

    async def _run(self) -> None:
        delay = self.interval
        while True:
            try:
                async with self._clock.timeout(delay):
                    await self._wake.wait()
            except TimeoutError:
                pass
            self._wake.clear()
            try:
                await self.flush_all()
                delay = self.interval
            except Exception:
                self.failures += 1
                delay = min(delay * 2, 60.0)
                log.exception("writing %d events failed; retrying in %.0f s",
                              len(self._pending), delay)

    async def aclose(self) -> None:
        """Stop the background task and write what is left (retrying a failed batch a
        few times: at shutdown there is no later)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for attempt in range(1, self.close_attempts + 1):
            try:
                await self.flush_all()
                return
            except Exception:
                log.exception("writing events at shutdown failed (attempt %d)", attempt)
        if self._pending:
            log.error("%d events could not be written at shutdown", len(self._pending))
