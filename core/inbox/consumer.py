"""Processes the inbox: claims updates, runs each through the front door's handler, marks
it done; on start it is also the recovery, since whatever a dead or stopped process left
(pending, or running under a lapsed lease) is simply claimable.

Order and load: only the oldest open update of a chat is claimable (core.inbox.store),
so one chat is never processed twice at once, in this process or any other; `run` (the
process's `ChatSerializer.run`, shared with the other chat adapters) bounds how many run
at once here. A front door calls `wake()` after recording, so a new update is claimed at
once; a process that records without consuming (a web-only role) announces it on
PostgreSQL (core.inbox.listener); otherwise (a lease lapsed) the consumer notices
on its next look, every `poll` seconds (on SQLite a read that takes no write lock
first; on PostgreSQL the claim itself, which skips locked rows and waits for no one).

Round trips: a process that records an update takes it in the same transaction when it
has room and the chat is free (`adopt`), so the common case costs no claim of its own;
and the done mark says whether the chat has another update waiting, so the consumer
looks for more work only when there may be some (or when a look filled every place).

Retry: a handler that could not process its update *now* (the database's connection
pool was exhausted) asks for another try (core.inbox.retry); the update goes back to
pending, claimable again after a short pause, still holding its chat's place in line.
Its retries are counted; once they are spent it is marked failed instead.

Leases: the heartbeat renews the claims of the updates running here. When it could not
for a whole lease (the pool exhausted by the handlers themselves), the rows are
claimable again: another process may take one (`renew` then reports it lost: the run
here finishes, but its mark is refused), or this one, whose next look finds its own
row still running here: it keeps the one run and holds the row under the new claim.
An update is never run twice at once by one process.

Stop: nothing new is claimed; updates being handled get `grace` to finish, then are
cancelled (their flow's transaction rolls back) and, with every update claimed but not
started, released back to pending. So a stop leaves each update either done or pending,
never half-done, and the next start picks the pending ones up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Hashable, Iterator
from datetime import timedelta

from core.claims import heartbeat
from core.clock import Clock
from core.inbox.listener import listening
from core.inbox.models import Status
from core.inbox.retry import retry_slot
from core.inbox.store import Claimed, Inbox, new_owner

log = logging.getLogger(__name__)

Handler = Callable[[Claimed], Awaitable[None]]
Runner = Callable[[Hashable | None, Awaitable[bool]], Awaitable[bool]]

LEASE = timedelta(seconds=20)  # a holder silent this long is presumed dead
BEAT = timedelta(seconds=5)  # how often a live holder renews its leases
POLL = 2.0  # seconds between looks for work nobody woke us for
IN_FLIGHT = 64  # updates held at once by one consumer (claimed, running or waiting)
KEEP = timedelta(days=2)  # finished rows kept to recognise redeliveries
PRUNE_EVERY = 3600.0  # seconds


async def _free(key: Hashable | None, work: Awaitable[bool]) -> bool:
    return await work


class InboxConsumer:
    def __init__(
        self, inbox: Inbox, handle: Handler, *, clock: Clock, run: Runner | None = None,
        lease: timedelta = LEASE, beat: timedelta = BEAT, poll: float = POLL,
        in_flight: int = IN_FLIGHT,
    ) -> None:
        self.inbox = inbox
        self.owner = new_owner()
        self._handle = handle
        self._run: Runner = run or _free
        self._clock = clock
        self._lease, self._beat, self._poll, self._limit = lease, beat, poll, in_flight
        self._wakeup = asyncio.Event()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._tokens: dict[int, str] = {}  # row id: the claim it runs under, while ours
        self._handling: set[int] = set()  # tasks still safe to cancel (not yet finishing)
        self._loop_task: asyncio.Task[None] | None = None
        self._timers: set[asyncio.Task[None]] = set()  # wake-ups for retried updates
        self._behind = False  # the last look filled every free place: there may be more
        self._promised = 0  # places held for records under way (`place`)

    def wake(self) -> None:
        """Something was recorded: look for work now."""
        self._wakeup.set()

    def start(self) -> None:
        if self._loop_task is None:
            self._loop_task = asyncio.create_task(self._loop(), name="inbox-consumer")

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    @property
    def has_room(self) -> bool:
        """Running, and able to take one more update now (see `adopt`)."""
        return self._loop_task is not None and self._free() > 0

    def _free(self) -> int:
        return self._limit - len(self._tasks) - self._promised

    @contextlib.contextmanager
    def place(self) -> Iterator[bool]:
        """Hold a free place (True) for one update a front door is about to record and
        take, until it adopts it or gives up; False when there is none. Without it, as
        many concurrent webhooks as Telegram opens could each see the last free place
        and all take their update: in flight past the limit."""
        if not self.has_room:
            yield False
            return
        self._promised += 1
        try:
            yield True
        finally:
            self._promised -= 1
            if self._behind:  # the loop may have left work for want of this place
                self.wake()

    def adopt(self, row: Claimed) -> bool:
        """Process a row this consumer's owner claimed elsewhere (as it was recorded).
        False once stopped (the claim raced the stop): the caller hands the row back."""
        if self._loop_task is None:
            return False
        self._start(row)
        return True

    def _start(self, row: Claimed) -> None:
        if row.id in self._tasks:
            # its lease lapsed while it ran here (the renewals failed) and our own look
            # claimed it again: the run in hand goes on, and holds it under this claim
            log.warning("update %s was claimed again while it still ran here; it runs "
                        "once", row.update_id)
            self._tokens[row.id] = row.token
            return
        self._tokens[row.id] = row.token
        self._tasks[row.id] = asyncio.create_task(
            self._process(row), name=f"inbox-update-{row.update_id}")
        self._handling.add(row.id)

    def _token(self, row: Claimed) -> str:
        """The claim `row` runs under now (a lost one's: the inbox refuses it)."""
        return self._tokens.get(row.id, row.token)

    async def stop(self, grace: float) -> None:
        """Stop claiming; give running updates `grace` seconds; release the rest."""
        if self._loop_task is None:
            return
        self._loop_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._loop_task
        self._loop_task = None
        if self._tasks:
            with contextlib.suppress(TimeoutError):
                async with self._clock.timeout(grace):
                    await asyncio.wait(list(self._tasks.values()))
        for row_id in list(self._handling):
            self._tasks[row_id].cancel()
        # finishing tasks are only writing their mark: let them (a short write)
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        for timer in self._timers:
            timer.cancel()
        released = await self.inbox.release(self.owner)
        if released:
            log.info("stopped with %d update(s) left pending in the inbox", released)

    @property
    def running(self) -> bool:
        """Started and not stopped: this process consumes what it records."""
        return self._loop_task is not None

    def _listening(self) -> contextlib.AbstractAsyncContextManager[None]:
        """On PostgreSQL, wake when another process announces new updates."""
        db = self.inbox.db
        if db.dialect != "postgresql":
            return contextlib.nullcontext()
        return listening(db.url, self.inbox.channel, self.wake, self._clock)

    async def _loop(self) -> None:
        async with heartbeat(self._renew, self._clock, self._beat), self._listening():
            pruned_at = None
            while True:
                if pruned_at is None or self._clock.monotonic() - pruned_at > PRUNE_EVERY:
                    pruned_at = self._clock.monotonic()
                    await self._quietly(self.inbox.prune(KEEP), "prune the inbox")
                self._wakeup.clear()
                room = self._free()
                claimed = await self._claimed(room) if room > 0 else []
                for row in claimed:
                    self._start(row)
                self._behind = len(claimed) >= room
                if claimed and self._behind:
                    continue  # there may be more: look again once there is room
                with contextlib.suppress(TimeoutError):
                    async with self._clock.timeout(self._poll):
                        await self._wakeup.wait()

    async def _claimed(self, room: int) -> list[Claimed]:
        """`_claim`, its places held meanwhile: a webhook recording then must not see
        them free and take its update too (in flight past the limit)."""
        self._promised += room
        try:
            return await self._claim(room)
        finally:
            self._promised -= room

    async def _claim(self, room: int) -> list[Claimed]:
        try:
            # SQLite: look first without the write lock. PostgreSQL: the claim itself
            # (SKIP LOCKED) waits for no one, so the look would be one more round trip.
            if self.inbox.db.dialect == "sqlite" and not await self.inbox.has_work():
                return []
            return await self.inbox.claim(self.owner, room, self._lease)
        except Exception:  # the database may be briefly unavailable: try on the next look
            log.warning("could not claim from the inbox; trying again", exc_info=True)
            return []

    async def _process(self, row: Claimed) -> None:
        work = self._work(row)
        look = True
        try:
            look = await self._run(row.chat_key, work)
        finally:
            work.close()  # cancelled while waiting for its turn: it never started
            self._handling.discard(row.id)
            self._tasks.pop(row.id, None)
            self._tokens.pop(row.id, None)
            if look or self._behind:  # this chat's next update is free, or there is room
                self._wakeup.set()

    async def _work(self, row: Claimed) -> bool:
        """Handle and mark, in one turn of the chat's slot: an update is never left
        handled-but-unmarked while the slot moves on (so a kill repeats at most the
        updates running at that instant). Returns whether to look for more work now."""
        status = Status.DONE
        with retry_slot(row.retries) as retry:
            try:
                await self._handle(row)
            except Exception:
                log.exception("update %s could not be processed", row.update_id)
                status = Status.FAILED
            finally:
                self._handling.discard(row.id)  # from here on a stop lets it finish
        if retry.asked and status == Status.DONE:
            await self._later(row, retry.after)
            return False
        if retry.spent and status == Status.DONE:
            log.error("update %s was tried again %d times; it failed", row.update_id,
                      row.retries)
            status = Status.FAILED
        try:
            done = await self.inbox.finish(row.id, self._token(row), status, row.chat_key)
        except Exception:  # it stays claimed; after the lease it is processed again
            log.warning("could not mark update %s %s", row.update_id, status, exc_info=True)
            return True
        if not done.ours:
            log.warning("update %s was taken over while we processed it", row.update_id)
        return done.successor

    async def _later(self, row: Claimed, after: float) -> None:
        """The handler asked for another try: hand the update back, not before `after`
        seconds, and look for it then (whoever claims it first, here or elsewhere)."""
        try:
            if await self.inbox.later(row.id, self._token(row), timedelta(seconds=after)):
                log.info("update %s will be tried again in %.1f s", row.update_id, after)
                task = asyncio.create_task(self._wake_in(after))
                self._timers.add(task)
                task.add_done_callback(self._timers.discard)
        except Exception:  # still claimed: after the lease it is processed again anyway
            log.warning("could not hand update %s back", row.update_id, exc_info=True)

    async def _wake_in(self, seconds: float) -> None:
        await self._clock.sleep(seconds)
        self.wake()

    async def _renew(self) -> None:
        # only what is being processed: a row whose mark failed must lapse, to be
        # processed again, however long this process stays busy with others
        held = {row_id: token for row_id, token in self._tokens.items()
                if row_id in self._tasks}
        if not held:
            return
        for row_id in await self.inbox.renew(self._lease, held):
            if self._tokens.get(row_id) == held[row_id]:  # not claimed again meanwhile
                log.warning("inbox row %s was taken over while it ran here", row_id)
                del self._tokens[row_id]

    async def _quietly(self, work: Awaitable[object], what: str) -> None:
        try:
            await work
        except Exception:
            log.warning("could not %s", what, exc_info=True)
