"""The inbox store: an update is kept once, and handed out in each chat's order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from core.inbox import InboundUpdate, Inbox, Incoming, Status
from core.inbox.store import MAX_ATTEMPTS
from tests.fakes.databases import drop_connections

LEASE = timedelta(seconds=20)


def _update(update_id: int, chat: str | None = "42") -> Incoming:
    return Incoming(update_id, chat, {"update_id": update_id, "message": {"text": "hi"}})


async def _statuses(inbox: Inbox) -> dict[int, tuple[str, int]]:
    async with inbox.db.read() as session:
        rows = await session.scalars(select(InboundUpdate))
        return {r.update_id: (r.status, r.attempts) for r in rows}


async def test_a_redelivered_update_is_kept_once(inbox):
    assert await inbox.record(_update(1), _update(2)) == 2
    assert await inbox.record(_update(2), _update(3)) == 1
    assert await inbox.record(_update(1)) == 0
    assert sorted(await _statuses(inbox)) == [1, 2, 3]


async def test_the_same_update_id_of_another_bot_is_another_update(inbox, db, clock):
    other = Inbox(db, clock, "telegram", "456")
    await inbox.record(_update(1))
    assert await other.record(_update(1)) == 1
    assert [c.update_id for c in await other.claim("b", 10, LEASE)] == [1]
    assert [c.update_id for c in await inbox.claim("a", 10, LEASE)] == [1]


async def test_only_the_oldest_open_update_of_a_chat_is_handed_out(inbox):
    await inbox.record(_update(1, "42"), _update(2, "42"), _update(3, "7"))
    first = await inbox.claim("a", 10, LEASE)
    assert [c.update_id for c in first] == [1, 3]
    assert await inbox.claim("b", 10, LEASE) == []  # 2 waits for 1, whoever holds it
    assert (await inbox.finish(first[0].id, first[0].token)).ours
    assert [c.update_id for c in await inbox.claim("b", 10, LEASE)] == [2]


async def test_an_update_without_a_chat_waits_for_nothing(inbox):
    await inbox.record(_update(1, None), _update(2, None), _update(3, "42"))
    assert [c.update_id for c in await inbox.claim("a", 10, LEASE)] == [1, 2, 3]


async def test_a_lapsed_lease_hands_the_update_to_someone_else(inbox, clock):
    await inbox.record(_update(1))
    [held] = await inbox.claim("dead", 10, LEASE)
    assert await inbox.claim("alive", 10, LEASE) == []
    clock.advance(LEASE + timedelta(seconds=1))
    [taken] = await inbox.claim("alive", 10, LEASE)
    assert (taken.update_id, taken.attempts) == (1, 2)
    # the dead owner's late mark is refused
    assert not (await inbox.finish(held.id, held.token)).ours
    assert (await inbox.finish(taken.id, taken.token)).ours
    assert (await _statuses(inbox))[1] == (Status.DONE, 2)


async def test_renewing_keeps_a_slow_update_with_its_owner(inbox, clock):
    await inbox.record(_update(1))
    [held] = await inbox.claim("slow", 10, LEASE)
    for _ in range(3):
        clock.advance(LEASE / 2)
        assert await inbox.renew(LEASE, {held.id: held.token}) == set()
        assert await inbox.claim("other", 10, LEASE) == []


async def test_an_update_its_owner_no_longer_processes_lapses_however_busy_the_owner(
        inbox, clock):
    """Its done mark failed (the database was away): it must be processed again once
    its lease lapses, even while the owner keeps renewing the updates it still runs."""
    await inbox.record(_update(1), _update(2, "7"))
    orphan, running = await inbox.claim("busy", 10, LEASE)
    for _ in range(3):
        clock.advance(LEASE / 2)
        await inbox.renew(LEASE, {running.id: running.token})
    assert [c.update_id for c in await inbox.claim("other", 10, LEASE)] == [orphan.update_id]


async def test_released_updates_are_pending_again_and_not_counted_as_tried(inbox):
    await inbox.record(_update(1), _update(2, "7"))
    await inbox.claim("stopping", 10, LEASE)
    assert await inbox.release("stopping") == 2
    assert await _statuses(inbox) == {1: (Status.PENDING, 0), 2: (Status.PENDING, 0)}
    assert len(await inbox.claim("next", 10, LEASE)) == 2


async def test_an_update_that_keeps_killing_its_owner_is_given_up(inbox, clock):
    await inbox.record(_update(1), _update(2))
    for _ in range(MAX_ATTEMPTS):
        [held] = await inbox.claim("doomed", 10, LEASE)
        assert held.update_id == 1
        clock.advance(LEASE + timedelta(seconds=1))
    [next_one] = await inbox.claim("fresh", 10, LEASE)
    assert next_one.update_id == 2  # the chat is not stuck behind the poison update
    assert (await _statuses(inbox))[1][0] == Status.FAILED


async def test_finished_updates_are_forgotten_after_a_while_open_ones_never(inbox, clock):
    await inbox.record(_update(1), _update(2, "7"))
    [done, _] = await inbox.claim("a", 10, LEASE)
    await inbox.finish(done.id, done.token)
    clock.advance(timedelta(days=3))
    assert await inbox.prune(timedelta(days=2)) == 1
    assert list(await _statuses(inbox)) == [2]


async def test_an_update_handed_back_for_later_waits_its_turn_and_keeps_its_place(
        inbox, clock):
    await inbox.record(_update(1), _update(2))
    [first] = await inbox.claim("a", 10, LEASE)
    assert await inbox.later(first.id, first.token, timedelta(seconds=1))
    assert await inbox.claim("b", 10, LEASE) == []  # not yet; and chat 42's next waits
    clock.advance(timedelta(seconds=1, milliseconds=1))
    assert [(c.update_id, c.attempts) for c in await inbox.claim("b", 10, LEASE)] == [(1, 1)]


async def test_only_the_holder_hands_an_update_back(inbox):
    await inbox.record(_update(1))
    [row] = await inbox.claim("a", 10, LEASE)
    assert not await inbox.later(row.id, "another claim", timedelta(seconds=1))
    assert (await _statuses(inbox))[1] == (Status.RUNNING, 1)


async def test_a_finish_on_a_connection_the_server_dropped_is_marked_all_the_same(
        inbox, database_url):
    """Pooled connections are not pinged (database.pool_pre_ping): after a server
    restart the first statement on one fails. The done mark is tried once more on a
    fresh connection, or the update would stay claimed and be processed twice."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a file database has no connection for a server to drop")
    await inbox.record(_update(1))
    [claimed] = await inbox.claim("a", 10, LEASE)
    await drop_connections(database_url)
    assert (await inbox.finish(claimed.id, claimed.token, chat_key="42")).ours
    assert (await _statuses(inbox))[1] == (Status.DONE, 1)


async def test_a_recorded_update_of_a_free_chat_is_taken_as_it_is_recorded(inbox):
    new, taken = await inbox.record_and_claim(_update(1), "a", LEASE)
    assert new == 1
    assert taken is not None
    assert (taken.update_id, taken.attempts) == (1, 1)
    assert (await _statuses(inbox))[1] == (Status.RUNNING, 1)
    assert await inbox.claim("b", 10, LEASE) == []  # held: nobody else gets it


async def test_a_recorded_update_behind_an_open_one_of_its_chat_waits(inbox):
    await inbox.record_and_claim(_update(1), "a", LEASE)
    assert await inbox.record_and_claim(_update(2), "a", LEASE) == (1, None)
    assert await inbox.record_and_claim(_update(3, "7"), "a", LEASE) != (1, None)  # other chat
    assert (await _statuses(inbox))[2] == (Status.PENDING, 0)


async def test_a_redelivery_recorded_for_taking_is_neither_new_nor_taken(inbox):
    await inbox.record_and_claim(_update(1), "a", LEASE)
    assert await inbox.record_and_claim(_update(1), "b", LEASE) == (0, None)


async def test_finishing_says_whether_the_chat_has_another_update_waiting(inbox):
    await inbox.record(_update(1), _update(2), _update(3, "7"))
    first, other = await inbox.claim("a", 10, LEASE)
    assert (await inbox.finish(first.id, first.token, chat_key="42")).successor
    assert not (await inbox.finish(other.id, other.token, chat_key="7")).successor


async def test_updates_without_a_chat_are_never_each_others_successors(inbox):
    await inbox.record(_update(1, None), _update(2, None))
    first, _ = await inbox.claim("a", 10, LEASE)
    assert not (await inbox.finish(first.id, first.token, chat_key="42")).successor


async def test_a_record_waits_out_a_finish_of_its_chat_in_flight_and_takes_the_update(
        inbox, db, database_url):
    """Two processes: one is committing the done mark of chat 42's update 1 while the
    other records update 2. Were the second to look before that commit, update 2 would
    be left pending with nobody told; it waits for the first's row lock instead."""
    async with _row_locked(inbox, db, database_url, (
            "UPDATE inbound_updates SET status = 'done', claimed_by = NULL WHERE id = :id")):
        recording = asyncio.create_task(inbox.record_and_claim(_update(2), "b", LEASE))
        await _until_waiting_on_a_lock(db)
    new, taken = await recording
    assert new == 1
    assert taken is not None
    assert taken.update_id == 2


async def test_a_done_mark_held_up_by_a_row_lock_still_sees_an_update_recorded_meanwhile(
        inbox, db, database_url):
    """Process A's done mark of chat 42's update 1 waits on a row lock (a renew, or
    another process's look at the row, holds it for an instant) while process B records
    update 2, which has to wait behind 1 and so is not taken. Once the mark goes
    through, A must be told that update 2 waits: nobody else will be until the poll."""
    async with _row_locked(inbox, db, database_url,
                           "SELECT id FROM inbound_updates WHERE id = :id FOR SHARE") as (
            held, _):
        finishing = asyncio.create_task(inbox.finish(held.id, held.token, chat_key="42"))
        await _until_waiting_on_a_lock(db)
        assert await inbox.record_and_claim(_update(2), "b", LEASE) == (1, None)
    assert (await finishing).successor


async def test_a_record_whose_taking_fails_stays_recorded_for_a_consumer(
        inbox, db, database_url):
    """The connection dies while the record waits to take its update (the server
    ended it): the update is committed already, so the record reports it new and not
    taken, for the caller to wake a consumer, instead of failing the webhook."""
    async with _row_locked(inbox, db, database_url, (
            "UPDATE inbound_updates SET lease_until = lease_until WHERE id = :id")) as (
            _, other):
        recording = asyncio.create_task(inbox.record_and_claim(_update(2), "b", LEASE))
        await _until_waiting_on_a_lock(db)
        await other.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
            "current_database() AND wait_event_type = 'Lock'"))
    assert await recording == (1, None)
    assert (await _statuses(inbox))[2] == (Status.PENDING, 0)


@asynccontextmanager
async def _row_locked(inbox, db, database_url, sql: str) -> AsyncIterator[tuple[Any, Any]]:
    """Chat 42's update 1, claimed by "a", its row locked by `sql` in another
    transaction kept open meanwhile (row locks are PostgreSQL's)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's; SQLite writes one transaction at a time")
    await inbox.record(_update(1))
    [held] = await inbox.claim("a", 10, LEASE)
    async with db.begin() as other:
        await other.execute(text(sql), {"id": held.id})
        yield held, other


async def _until_waiting_on_a_lock(db) -> None:
    async with asyncio.timeout(60.0):
        while True:
            async with db.read() as session:
                if await session.scalar(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        "current_database() AND wait_event_type = 'Lock'")):
                    return
            await asyncio.sleep(0.01)


async def test_a_claim_that_lapsed_is_no_longer_its_holders_though_the_holder_took_it_again(
        inbox, clock):
    """A process whose renewals failed for a whole lease (the connection pool was
    exhausted) claims its own running update again: each claim has its own token, so
    the first run can neither mark it nor keep it, and renew says it was lost."""
    await inbox.record(_update(1))
    [first] = await inbox.claim("a", 10, LEASE)
    clock.advance(LEASE + timedelta(seconds=1))
    [again] = await inbox.claim("a", 10, LEASE)
    assert again.id == first.id
    assert again.token != first.token
    assert await inbox.renew(LEASE, {first.id: first.token}) == {first.id}
    assert not await inbox.later(first.id, first.token, timedelta(seconds=1))
    assert not (await inbox.finish(first.id, first.token)).ours
    assert await inbox.renew(LEASE, {again.id: again.token}) == set()
    assert (await inbox.finish(again.id, again.token)).ours
    assert (await _statuses(inbox))[1] == (Status.DONE, 2)


async def test_handing_an_update_back_counts_a_retry_not_an_attempt(inbox, clock):
    await inbox.record(_update(1))
    for retries in range(3):
        [row] = await inbox.claim("a", 10, LEASE)
        assert (row.attempts, row.retries) == (1, retries)
        assert await inbox.later(row.id, row.token, timedelta(0))
        clock.advance(timedelta(milliseconds=1))


async def test_a_give_up_that_fails_still_hands_out_what_the_claim_took(
        inbox, db, clock, database_url):
    """PostgreSQL claims and gives up poison updates in separate statements; when the
    give-up fails, the updates the claim already took (committed as running) are
    returned to be run, not left claimed and idle for a lease."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite claims and gives up in one transaction: all or nothing")
    await inbox.record(_update(1, "42"), _update(2, "7"))
    for _ in range(MAX_ATTEMPTS):
        [poison] = await inbox.claim("doomed", 1, LEASE)
        assert poison.update_id == 1
        clock.advance(LEASE + timedelta(seconds=1))
    async with db.begin() as conn:  # the give-up fails: a real error from the server
        await conn.execute(text(
            "CREATE FUNCTION refuse_failed() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN IF NEW.status = 'failed' THEN RAISE EXCEPTION 'refused'; END IF; "
            "RETURN NEW; END $$"))
        await conn.execute(text(
            "CREATE TRIGGER refuse_failed BEFORE UPDATE ON inbound_updates "
            "FOR EACH ROW EXECUTE FUNCTION refuse_failed()"))
    try:
        taken = await inbox.claim("alive", 10, LEASE)
    finally:
        async with db.begin() as conn:
            await conn.execute(text("DROP TRIGGER refuse_failed ON inbound_updates"))
            await conn.execute(text("DROP FUNCTION refuse_failed()"))
    assert [c.update_id for c in taken] == [2]
    statuses = await _statuses(inbox)
    assert statuses[2] == (Status.RUNNING, 1)
    assert statuses[1][0] == Status.RUNNING  # its give-up comes once this claim lapses
