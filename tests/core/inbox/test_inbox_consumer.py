"""The inbox consumer: recovery on start, per-chat order, a stop that leaves nothing
half-done. Handlers here are plain recorders, the front door's part; the inbox, the
database and the consumer are the real ones."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from core.db.database import Database
from core.inbox import Claimed, InboundUpdate, Inbox, InboxConsumer, Incoming, Status

CEILING = 60.0  # seconds: waiting for an event on a loaded machine


def _update(update_id: int, chat: str | None) -> Incoming:
    return Incoming(update_id, chat, {"update_id": update_id})


async def _until(predicate: Callable[[], bool], what: str) -> None:
    try:
        async with asyncio.timeout(CEILING):
            while not predicate():  # noqa: ASYNC110 - the state is in a list we own
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"never saw {what}") from None


async def _statuses(inbox: Inbox) -> dict[int, str]:
    async with inbox.db.read() as session:
        return {r.update_id: r.status for r in await session.scalars(select(InboundUpdate))}


async def test_what_an_earlier_run_left_is_processed_on_start_in_chat_order(inbox, clock):
    await inbox.record(*[_update(i, "42" if i % 2 else "7") for i in range(1, 11)])
    seen: list[int] = []

    async def handle(row: Claimed) -> None:
        await asyncio.sleep(0)
        seen.append(row.update_id)

    consumer = InboxConsumer(inbox, handle, clock=clock)
    consumer.start()
    try:
        await _until(lambda: len(seen) == 10, "all ten updates handled")
    finally:
        await consumer.stop(grace=1.0)
    assert [u for u in seen if u % 2] == [1, 3, 5, 7, 9]
    assert [u for u in seen if not u % 2] == [2, 4, 6, 8, 10]
    assert set((await _statuses(inbox)).values()) == {Status.DONE}


def _noting(inbox: Inbox, clock, seen: list[int]) -> InboxConsumer:
    """A started consumer whose handler notes each update id; it never polls (the fake
    clock never reaches the poll), so only a wake or a finish can make it look."""
    async def handle(row: Claimed) -> None:
        seen.append(row.update_id)

    consumer = InboxConsumer(inbox, handle, clock=clock, poll=3600.0)
    consumer.start()
    return consumer


async def test_a_woken_consumer_takes_a_new_update_at_once(inbox, clock):
    seen: list[int] = []
    consumer = _noting(inbox, clock, seen)
    try:
        await inbox.record(_update(1, "42"))
        consumer.wake()  # the fake clock never reaches the poll: only the wake can do it
        await _until(lambda: seen == [1], "the update handled")
    finally:
        await consumer.stop(grace=1.0)


async def test_a_failing_update_is_marked_failed_and_the_chat_goes_on(inbox, clock):
    await inbox.record(_update(1, "42"), _update(2, "42"))
    seen: list[int] = []

    async def handle(row: Claimed) -> None:
        if row.update_id == 1:
            raise RuntimeError("a bug in a flow")
        seen.append(row.update_id)

    consumer = InboxConsumer(inbox, handle, clock=clock)
    consumer.start()
    try:
        await _until(lambda: seen == [2], "the next update of the chat handled")
    finally:
        await consumer.stop(grace=1.0)
    assert await _statuses(inbox) == {1: Status.FAILED, 2: Status.DONE}


async def test_stop_cancels_what_outlives_the_grace_and_leaves_it_pending(inbox, clock):
    await inbox.record(_update(1, "42"), _update(2, "42"), _update(3, "7"))
    started: list[int] = []
    finished: list[int] = []
    never = asyncio.Event()

    async def handle(row: Claimed) -> None:
        started.append(row.update_id)
        await never.wait()  # a flow stuck on the network
        finished.append(row.update_id)

    consumer = InboxConsumer(inbox, handle, clock=clock)
    consumer.start()
    await _until(lambda: sorted(started) == [1, 3], "both chats' first update running")
    stopping = asyncio.create_task(consumer.stop(grace=0.5))
    await asyncio.sleep(0.1)
    assert not stopping.done()  # the grace runs on the fake clock: nothing moved it yet

    def grace_over() -> bool:
        clock.advance(timedelta(seconds=0.25))
        return stopping.done()

    await _until(grace_over, "the stop, once the grace is over")
    assert finished == []
    assert await _statuses(inbox) == {1: Status.PENDING, 2: Status.PENDING, 3: Status.PENDING}

    again: list[int] = []

    async def handle_again(row: Claimed) -> None:
        again.append(row.update_id)

    restarted = InboxConsumer(inbox, handle_again, clock=clock)
    restarted.start()
    try:
        await _until(lambda: len(again) == 3, "the next run handling all three")
    finally:
        await restarted.stop(grace=1.0)
    assert again.index(1) < again.index(2)


async def test_an_update_finishing_within_the_grace_is_done_not_released(inbox, clock):
    await inbox.record(_update(1, "42"))
    go = asyncio.Event()
    started = asyncio.Event()

    async def handle(row: Claimed) -> None:
        started.set()
        await go.wait()

    consumer = InboxConsumer(inbox, handle, clock=clock)
    consumer.start()
    await asyncio.wait_for(started.wait(), CEILING)
    stopping = asyncio.create_task(consumer.stop(grace=0.5))
    await asyncio.sleep(0)
    go.set()
    await asyncio.wait_for(stopping, CEILING)
    assert await _statuses(inbox) == {1: Status.DONE}


async def test_a_dead_consumers_update_is_taken_over_when_its_lease_lapses(inbox, clock):
    await inbox.record(_update(1, "42"))
    await inbox.claim("killed-process", 10, timedelta(seconds=20))
    seen: list[int] = []

    async def handle(row: Claimed) -> None:
        seen.append(row.update_id)

    consumer = InboxConsumer(inbox, handle, clock=clock, poll=1.0)
    consumer.start()
    try:
        await asyncio.sleep(0.1)
        assert seen == []  # the lease is still good: maybe it is only slow
        clock.advance(timedelta(seconds=21))  # lapsed; the consumer's next look finds it
        await _until(lambda: seen == [1], "the abandoned update handled")
    finally:
        await consumer.stop(grace=1.0)


async def test_an_update_another_process_records_wakes_this_consumer(inbox, clock,
                                                                     database_url):
    """Split roles: a web-only process records an update and announces it (PostgreSQL
    NOTIFY); the consumer of a bot process, LISTENing, claims it at once. The fake clock
    never moves here, so its next periodic look never comes: only the announcement can
    wake it."""
    if not database_url.startswith("postgresql"):
        pytest.skip("one SQLite database is one process's")
    seen: list[int] = []

    async def handle(row: Claimed) -> None:
        seen.append(row.update_id)

    consumer = InboxConsumer(inbox, handle, clock=clock)
    consumer.start()
    web = Database(database_url)
    try:
        await _until_listening(web, inbox.channel)
        assert await Inbox(web, clock, "telegram", "123").record(_update(1, "42"),
                                                                 notify=True) == 1
        await _until(lambda: seen == [1], "the announced update handled")
    finally:
        await consumer.stop(grace=1.0)
        await web.dispose()


async def _until_listening(db: Database, channel: str) -> None:
    """Until some session of this database has run LISTEN on `channel`."""
    async with asyncio.timeout(CEILING):
        while True:
            async with db.read() as session:
                found = await session.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                    "current_database() AND query LIKE :q"), {"q": f"LISTEN%{channel}%"})
            if found:
                return
            await asyncio.sleep(0.05)


async def test_an_update_waiting_behind_another_of_its_chat_runs_when_that_one_is_done(
        inbox, clock):
    """No wake and no poll: finishing update 1 says its chat has update 2 waiting,
    and the consumer takes it at once."""
    seen: list[int] = []
    consumer = _noting(inbox, clock, seen)
    try:
        await _until(lambda: consumer.has_room, "the consumer running")
        _, taken = await inbox.record_and_claim(_update(1, "42"), consumer.owner,
                                                timedelta(seconds=20))
        assert taken is not None
        assert await inbox.record_and_claim(_update(2, "42"), consumer.owner,
                                            timedelta(seconds=20)) == (1, None)
        consumer.adopt(taken)
        await _until(lambda: seen == [1, 2], "update 2 handled after update 1")
    finally:
        await consumer.stop(grace=1.0)
    assert set((await _statuses(inbox)).values()) == {Status.DONE}


async def test_its_last_free_place_goes_to_one_record_at_a_time(inbox, clock):
    """Concurrent webhooks each ask for a place before recording: only one gets the
    last, and it is free again once that record is through without taking its update."""
    async def handle(_: Claimed) -> None:
        return None

    consumer = InboxConsumer(inbox, handle, clock=clock, poll=3600.0, in_flight=1)
    consumer.start()
    try:
        with consumer.place() as first, consumer.place() as second:
            assert (first, second) == (True, False)
        assert consumer.has_room
    finally:
        await consumer.stop(grace=1.0)


async def test_a_stopped_consumer_refuses_a_row_claimed_for_it_while_it_stopped(inbox, clock):
    """The webhook's record-and-claim can race a stop: the row is refused (the front
    door hands it back) rather than started after everything else was released."""
    seen: list[int] = []
    consumer = _noting(inbox, clock, seen)
    await consumer.stop(grace=1.0)
    _, taken = await inbox.record_and_claim(_update(1, "42"), consumer.owner,
                                            timedelta(seconds=20))
    assert taken is not None
    assert not consumer.adopt(taken)
    assert consumer.in_flight == 0
    assert seen == []


async def _row(inbox: Inbox) -> Any:
    """The inbox's one row, as plain values."""
    async with inbox.db.read() as session:
        [row] = (await session.execute(select(
            InboundUpdate.status, InboundUpdate.attempts))).all()
        return row


async def test_an_update_whose_lease_lapsed_while_it_ran_here_runs_here_once(inbox, clock):
    """Its renewals all failed (here: the heartbeat never comes, as when every one
    times out on an exhausted pool), so its lease lapses while the handler still runs,
    and this consumer's next look claims it again. It must not run a second time beside
    the first, and the first run's done mark, under the newer claim, is the one that
    counts."""
    await inbox.record(_update(1, "42"))
    runs: list[int] = []
    go = asyncio.Event()

    async def handle(row: Claimed) -> None:
        runs.append(row.update_id)
        await go.wait()

    consumer = InboxConsumer(inbox, handle, clock=clock, lease=timedelta(seconds=20),
                             beat=timedelta(hours=1), poll=1.0)
    consumer.start()
    try:
        await _until(lambda: runs == [1], "the update running")
        clock.advance(timedelta(seconds=21))  # lapsed; the next look claims it again
        async with asyncio.timeout(CEILING):
            while (await _row(inbox)).attempts < 2:
                clock.advance(timedelta(seconds=1))  # to the next look, wherever it waits
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # room for a second run to start, were it to
        go.set()
        await _until(lambda: consumer.in_flight == 0, "the run over")
    finally:
        go.set()
        await consumer.stop(grace=1.0)
    assert runs == [1]
    assert (await _row(inbox)).status == Status.DONE


async def test_an_update_handed_back_again_and_again_fails_once_its_retries_are_spent(
        inbox, clock):
    """The pool stays exhausted: the handler asks for another try every time. The
    first ask is the first retry (the person is told once), the next ones are retries
    again, and past the cap the update is not handed back but marked failed."""
    from core.inbox.retry import MAX_RETRIES, RETRY_AFTER, Asked, ask_retry

    await inbox.record(_update(1, "42"))
    answers: list[object] = []

    async def handle(_: Claimed) -> None:
        answers.append(ask_retry())

    consumer = InboxConsumer(inbox, handle, clock=clock, poll=3600.0)
    consumer.start()

    def tried_past_the_cap() -> bool:
        clock.advance(timedelta(seconds=RETRY_AFTER * 1.5))  # past each retry's pause
        return len(answers) > MAX_RETRIES

    try:
        await _until(tried_past_the_cap, "the update tried past its retries")
        await _until(lambda: consumer.in_flight == 0, "the last try over")
    finally:
        await consumer.stop(grace=1.0)
    assert answers == [Asked.FIRST, *[Asked.AGAIN] * (MAX_RETRIES - 1), Asked.SPENT]
    async with inbox.db.read() as session:
        row = (await session.execute(select(InboundUpdate.status, InboundUpdate.retries))).one()
    assert (row.status, row.retries) == (Status.FAILED, MAX_RETRIES)
