"""The inbox store: an update is kept once, and handed out in each chat's order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

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
    assert await inbox.finish(first[0].id, "a")
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
    assert not await inbox.finish(held.id, "dead")  # the dead owner's late mark is refused
    assert await inbox.finish(taken.id, "alive")
    assert (await _statuses(inbox))[1] == (Status.DONE, 2)


async def test_renewing_keeps_a_slow_update_with_its_owner(inbox, clock):
    await inbox.record(_update(1))
    await inbox.claim("slow", 10, LEASE)
    for _ in range(3):
        clock.advance(LEASE / 2)
        await inbox.renew("slow", LEASE)
        assert await inbox.claim("other", 10, LEASE) == []


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
    await inbox.finish(done.id, "a")
    clock.advance(timedelta(days=3))
    assert await inbox.prune(timedelta(days=2)) == 1
    assert list(await _statuses(inbox)) == [2]


async def test_an_update_handed_back_for_later_waits_its_turn_and_keeps_its_place(
        inbox, clock):
    await inbox.record(_update(1), _update(2))
    [first] = await inbox.claim("a", 10, LEASE)
    assert await inbox.later(first.id, "a", timedelta(seconds=1))
    assert await inbox.claim("b", 10, LEASE) == []  # not yet; and chat 42's next waits
    clock.advance(timedelta(seconds=1, milliseconds=1))
    assert [(c.update_id, c.attempts) for c in await inbox.claim("b", 10, LEASE)] == [(1, 1)]


async def test_only_the_holder_hands_an_update_back(inbox):
    await inbox.record(_update(1))
    [row] = await inbox.claim("a", 10, LEASE)
    assert not await inbox.later(row.id, "b", timedelta(seconds=1))
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
    assert await inbox.finish(claimed.id, "a")
    assert (await _statuses(inbox))[1] == (Status.DONE, 1)
