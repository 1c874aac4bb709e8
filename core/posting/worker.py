"""The background side of posting: a worker loop and the outbox delivery loop.

Any number of identical processes can run `PostingWorker` on PostgreSQL (claims skip
each other's locked rows); on SQLite the single writer lock serialises claims. A
worker runs up to `posting.concurrency` targets at once, polls every
`posting.poll_seconds` when idle, and on stop finishes what it started (a target
killed mid-run is recovered by another worker once its lease runs out). Now and then
it sweeps the media store (files no live target needs any more).

`start_workers(core, deliverers)` is what `serve` (and `thottopilot worker`) call:
posting and its outcome checks (core.outcomes), plus notice delivery when at least one
chat transport can deliver.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.posting.models import PostMedia, PostTarget, State
from core.posting.outbox import Deliverer, Outbox
from core.posting.service import PostingService

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)
SWEEP_EVERY = 600.0  # seconds between media sweeps
ORPHAN_AGE = 3600.0  # a stored file nobody refers to is kept this long (a create in flight)


class PostingWorker:
    def __init__(self, core: Core, *, concurrency: int | None = None) -> None:
        self.posting = PostingService(core)
        self.concurrency = concurrency or core.settings.posting.concurrency
        self.poll = core.settings.posting.poll_seconds
        self._last_sweep = 0.0

    async def run(self, stop: asyncio.Event) -> None:
        running: set[asyncio.Task[str]] = set()
        while not stop.is_set():
            free = self.concurrency - len(running)
            claimed = []
            if free > 0:
                try:
                    claimed = await self.posting.claim_due(free)
                except Exception as exc:
                    log.exception("claiming due posts failed; trying again")
                    await self.posting.core.analytics.errors.capture(exc, "job", job="claim")
            for c in claimed:
                running.add(asyncio.create_task(self.posting.engine.run(c)))
            if time.monotonic() - self._last_sweep > SWEEP_EVERY:
                self._last_sweep = time.monotonic()
                await self._sweep()
            if claimed and len(claimed) == free:
                await asyncio.sleep(0)  # more may be due: claim again at once
            else:
                await _wait(stop, running, self.poll)
            running = {t for t in running if not t.done()}
        if running:
            await asyncio.gather(*running, return_exceptions=True)

    async def _sweep(self) -> None:
        """Delete stored photos no queued, running or recently failed target needs, and
        temporaries a crashed write left (partial copies of a creator's photos)."""
        store = self.posting.media
        try:
            await asyncio.to_thread(store.sweep_temporaries, ORPHAN_AGE)
            on_disk = await asyncio.to_thread(store.all_hashes)
            if not on_disk:
                return
            keep_failed = self.posting.clock.now() - timedelta(
                days=self.posting.settings.failed_media_days)
            async with self.posting.db.session() as session:
                needed = set(await session.scalars(
                    select(PostMedia.sha256).join(PostTarget,
                                                  PostTarget.id == PostMedia.target_id)
                    .where(PostTarget.state.in_(State.LIVE)
                           | ((PostTarget.state == State.FAILED)
                              & (PostTarget.updated_at >= keep_failed)))))
            now = time.time()
            for sha in on_disk - needed:
                path = store.path(sha)
                with contextlib.suppress(FileNotFoundError):
                    if now - path.stat().st_mtime > ORPHAN_AGE:
                        store.delete(sha)
        except Exception as exc:
            log.exception("media sweep failed")
            await self.posting.core.analytics.errors.capture(exc, "job", job="media sweep")


class DeliveryWorker:
    def __init__(self, core: Core, deliverers: Sequence[Deliverer]) -> None:
        lease = timedelta(seconds=core.settings.posting.lease_seconds)
        self.outbox = Outbox(core.db, core.clock, lease)
        self.errors = core.analytics.errors
        self.deliverers = list(deliverers)
        self.poll = core.settings.posting.poll_seconds

    async def run(self, stop: asyncio.Event) -> None:
        # Chat transports share the "chat" rows (first that reaches the creator wins);
        # a deliverer with its own `route` (web push) gets that route's rows.
        routes: dict[str, list[Deliverer]] = {}
        for deliverer in self.deliverers:
            routes.setdefault(getattr(deliverer, "route", "chat"), []).append(deliverer)
        while not stop.is_set():
            handled = 0
            for route, deliverers in routes.items():
                try:
                    handled += await self.outbox.deliver_due(deliverers, route=route)
                except Exception as exc:
                    log.exception("delivering %s notices failed; trying again", route)
                    await self.errors.capture(exc, "job", job=f"deliver {route}")
            if not handled:
                await _wait(stop, set(), self.poll)


async def _wait(stop: asyncio.Event, running: set[asyncio.Task[str]], seconds: float) -> None:
    """Sleep up to `seconds`, waking early on stop or when a running target finishes."""
    waiter = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({waiter, *running}, timeout=seconds,
                           return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()


@dataclass
class Workers:
    """Background loops started by `start_workers`; `stop()` ends them gracefully."""

    stop_event: asyncio.Event
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def wait(self) -> None:
        await asyncio.gather(*self.tasks)


def start_workers(core: Core, deliverers: Sequence[Deliverer] = (), *,
                  posting: bool = True) -> Workers:
    """Start the posting worker and, with deliverers, the notice delivery loop."""
    stop = asyncio.Event()
    workers = Workers(stop)
    if posting:
        from core.outcomes.worker import OutcomeWorker

        workers.tasks.append(asyncio.create_task(PostingWorker(core).run(stop),
                                                 name="posting-worker"))
        workers.tasks.append(asyncio.create_task(OutcomeWorker(core).run(stop),
                                                 name="outcome-checks"))
    if deliverers:
        workers.tasks.append(asyncio.create_task(DeliveryWorker(core, deliverers).run(stop),
                                                 name="notice-delivery"))
    return workers
