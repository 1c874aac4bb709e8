"""A chat listener runs only while its process holds the lease (bot.leading), and a
holder whose listener is not listening does not keep the lease: it gives it back, so
a standby (or this process, one beat later) listens instead. Two `Lease` objects on
one database stand for two processes; time moves on a fake clock, by hand."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.leading import Heard, Listening, while_leading
from core.leases import Lease
from tests.fakes.clock import FakeClock

CEILING = 60.0  # seconds: a loaded machine's bound, never a speed assertion


class FakeListener:
    """Counts its starts and stops; `alive` is its answer to "still listening?" (False:
    it stopped), unless `refused` (the token rejected for good); `fail_start` /
    `fail_stop` make the next start or stop raise."""

    def __init__(self) -> None:
        self.starts = self.stops = 0
        self.alive = True
        self.refused = False
        self.fail_start = self.fail_stop = False

    def heard(self) -> Heard:
        if self.refused:
            return Heard.REFUSED
        return Heard.LISTENING if self.alive else Heard.STOPPED

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[Listening]:
        self.starts += 1
        if self.fail_start:
            self.fail_start = False
            raise ConnectionError("login failed: 503")
        try:
            yield self.heard
        finally:
            self.stops += 1
            if self.fail_stop:
                self.fail_stop = False
                raise ConnectionError("close failed")


async def _until(check, what: str) -> None:
    try:
        async with asyncio.timeout(CEILING):
            while not check():  # noqa: ASYNC110 - the state is in a fake clock or a fake
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"never saw {what}") from None


class Beats:
    """Moves the clock one beat at a time, each once the leading loop waits for it:
    the loop's every wait on the clock is a beat (listening or pausing), so its k-th
    wait is due when the k-th beat passes."""

    def __init__(self, lease: Lease, clock: FakeClock) -> None:
        self._lease, self._clock, self._passed = lease, clock, 0

    async def pass_one(self) -> None:
        self._passed += 1
        await _until(lambda: len(self._clock.sleeps) >= self._passed,
                     "the leader waiting its beat")
        self._clock.advance(self._lease.beat)


async def test_a_holder_whose_listener_stopped_by_itself_gives_the_lease_back(db, clock):
    lease, standby = Lease(db, clock, "gateway"), Lease(db, clock, "gateway")
    listener, beats = FakeListener(), Beats(lease, clock)
    async with while_leading(lease, clock, listener, "the gateway"):
        await _until(lambda: listener.starts == 1, "the holder listening")
        listener.alive = False  # e.g. Discord's login answered 503
        await beats.pass_one()
        await _until(lambda: listener.stops == 1, "the holder stopping")
        await _until(lambda: not lease.held, "the lease given back")
        assert await standby.take()  # at once: not after `stale` of silence


async def test_a_holder_whose_listener_stopped_listens_again_after_one_beat(db, clock):
    lease = Lease(db, clock, "gateway")
    listener, beats = FakeListener(), Beats(lease, clock)
    async with while_leading(lease, clock, listener, "the gateway"):
        await _until(lambda: listener.starts == 1, "the holder listening")
        listener.alive = False
        await beats.pass_one()  # it stops and gives the lease back
        await _until(lambda: not lease.held, "the lease given back")
        listener.alive = True
        await beats.pass_one()  # nobody else took it: this process does
        await _until(lambda: listener.starts == 2, "the listener started again")
        assert lease.held


async def test_a_listener_that_raised_starting_is_started_again_after_one_beat(db, clock):
    lease = Lease(db, clock, "gateway")
    listener, beats = FakeListener(), Beats(lease, clock)
    listener.fail_start = True
    async with while_leading(lease, clock, listener, "the gateway"):
        await _until(lambda: listener.starts == 1, "the first start")
        await beats.pass_one()
        await _until(lambda: listener.starts == 2, "a second start")
        assert lease.held


async def test_a_listener_that_raised_stopping_is_started_again_after_one_beat(db, clock):
    lease = Lease(db, clock, "gateway")
    listener, beats = FakeListener(), Beats(lease, clock)
    listener.fail_stop = True
    async with while_leading(lease, clock, listener, "the gateway"):
        await _until(lambda: listener.starts == 1, "the first start")
        listener.alive = False
        await beats.pass_one()  # it stops, and stopping raises
        await _until(lambda: listener.stops == 1, "the stop")
        listener.alive = True
        await beats.pass_one()
        await _until(lambda: listener.starts == 2, "a second start")
        assert lease.held


async def test_a_holder_taken_over_stops_listening(db, clock):
    lease = Lease(db, clock, "gateway")
    listener, beats = FakeListener(), Beats(lease, clock)
    async with while_leading(lease, clock, listener, "the gateway"):
        await _until(lambda: listener.starts == 1, "the holder listening")
        clock.set(clock.now() + lease.stale * 2)  # its beats look silent from outside...
        assert await Lease(db, clock, "gateway").take()  # ...and a standby took over
        await beats.pass_one()
        await _until(lambda: listener.stops == 1, "the holder stopping")
        assert not lease.held


async def test_a_holder_whose_token_was_refused_keeps_the_lease_and_nobody_retries(
        db, clock):
    lease, standby = Lease(db, clock, "gateway"), Lease(db, clock, "gateway")
    listener, beats = FakeListener(), Beats(lease, clock)
    async with while_leading(lease, clock, listener, "the gateway"):
        await _until(lambda: listener.starts == 1, "the holder listening")
        listener.refused = True  # the same token everywhere: no process can do better
        for _ in range(3):
            await beats.pass_one()
        await _until(lambda: len(clock.sleeps) >= 4, "the holder beating on")
        assert lease.held
        assert not await standby.take()
        assert (listener.starts, listener.stops) == (1, 0)

