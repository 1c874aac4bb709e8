"""Notices for creators: written with the fact they report, delivered with retries,
never lost and never sent twice for the same event."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from core.bootstrap import open_core
from core.posting.models import State
from core.posting.outbox import Notice, Outbox, notify
from core.posting.service import PostingService
from core.posting.worker import start_workers
from tests.core.posting.conftest import notices, text_job
from tests.fakes.databases import drop_connections

LATER = timedelta(seconds=601)  # past the longest delivery backoff


class Transport:
    """A chat transport at the edge: fails its first `failures` sends, then delivers."""

    def __init__(self, name: str = "telegram", failures: int = 0, reaches: bool = True) -> None:
        self.name = name
        self.failures = failures
        self.reaches = reaches
        self.sent: list[Notice] = []
        self.delivered = asyncio.Event()

    async def deliver(self, notice: Notice) -> bool:
        if not self.reaches:
            return False
        if self.failures:
            self.failures -= 1
            raise ConnectionError("chat API unreachable")
        self.sent.append(notice)
        self.delivered.set()
        return True


def _outbox(core) -> Outbox:
    return Outbox(core.db, core.clock, timedelta(seconds=30))


async def test_a_delivery_that_fails_is_retried_later_and_sent_once(core, user, clock):
    async with core.db.session() as session:
        await notify(session, clock.now(), user.id, "post_live", "target:1:posted", link="L")
    transport = Transport(failures=1)
    await _outbox(core).deliver_due([transport])
    assert transport.sent == []
    [row] = await notices(core)
    assert (row.state, row.attempts) == (State.QUEUED, 1)
    assert await _outbox(core).deliver_due([transport]) == 0  # backing off, not hammering
    clock.advance(LATER)
    await _outbox(core).deliver_due([transport])
    clock.advance(LATER)
    await _outbox(core).deliver_due([transport])
    assert [n.payload["link"] for n in transport.sent] == ["L"]
    [row] = await notices(core)
    assert (row.state, row.transport) == (State.SENT, "telegram")


async def test_the_same_event_recorded_twice_is_one_message(core, user, clock):
    for _ in range(2):
        async with core.db.session() as session:
            await notify(session, clock.now(), user.id, "post_live", "target:7:posted")
    transport = Transport()
    await _outbox(core).deliver_due([transport])
    assert len(transport.sent) == 1


async def test_a_transport_that_cant_reach_the_user_passes_to_the_next(core, user, clock):
    async with core.db.session() as session:
        await notify(session, clock.now(), user.id, "post_failed", "target:2:failed:1")
    discord = Transport("discord", reaches=False)
    telegram = Transport("telegram")
    await _outbox(core).deliver_due([discord, telegram])
    assert (len(discord.sent), len(telegram.sent)) == (0, 1)


async def test_a_claimed_notice_whose_deliverer_died_is_delivered_by_another(
    core, user, clock
):
    async with core.db.session() as session:
        await notify(session, clock.now(), user.id, "post_live", "target:3:posted")
        from sqlalchemy import update

        from core.posting.models import OutboxMessage

        await session.execute(update(OutboxMessage).values(
            state=State.RUNNING, claim_token="dead", lease_until=clock.now()))
    clock.advance(timedelta(seconds=1))
    transport = Transport()
    await _outbox(core).deliver_due([transport])
    assert len(transport.sent) == 1


async def test_the_worker_tells_the_creator_their_post_is_live_without_being_asked(
    settings, user, account, fake_reddit, subs
):
    """Real time here (the loops sleep and back off on the system clock)."""
    async with open_core(settings) as core:
        await text_job(PostingService(core), user, account, ("pics", "Tell me"))
        transport = Transport(failures=1)  # the first delivery fails; the retry succeeds
        workers = start_workers(core, [transport])
        try:
            await asyncio.wait_for(transport.delivered.wait(), timeout=60)
        finally:
            await workers.stop()
    [notice] = transport.sent
    assert notice.kind == "post_live"
    assert notice.payload["link"].endswith(f"/comments/{fake_reddit.posts[0].id}/")


async def test_a_notice_sent_on_a_connection_the_server_then_dropped_is_marked_sent(
        core, user, clock, database_url):
    """Pooled connections are not pinged (database.pool_pre_ping): the chat took the
    notice, then the server dropped our connections. The mark is tried once more on a
    fresh connection, or the notice would go out again when its lease lapsed."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a file database has no connection for a server to drop")
    async with core.db.session() as session:
        await notify(session, clock.now(), user.id, "post_live", "target:9:posted", link="L")

    class DroppedAfterSending(Transport):
        async def deliver(self, notice: Notice) -> bool:
            sent = await super().deliver(notice)
            await drop_connections(database_url)
            return sent

    transport = DroppedAfterSending()
    await _outbox(core).deliver_due([transport])
    [row] = await notices(core)
    assert (row.state, row.transport, row.attempts) == (State.SENT, "telegram", 1)
    clock.advance(LATER)
    assert await _outbox(core).deliver_due([transport]) == 0
    assert len(transport.sent) == 1
