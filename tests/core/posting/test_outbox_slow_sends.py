"""Two processes delivering notices while one send is slow (a per-chat limit that waits,
a slow chat API): each notice still reaches the creator once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from core.posting.models import OutboxMessage, State
from core.posting.outbox import Notice, Outbox, notify
from tests.core.posting.test_outbox import Transport

LEASE = timedelta(seconds=15)


class SlowFirstSend(Transport):
    """One chat API for every process; its first send hangs until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.started = asyncio.Event()
        self.go = asyncio.Event()

    async def deliver(self, notice: Notice) -> bool:
        if not self.started.is_set():
            self.started.set()
            await self.go.wait()
        return await super().deliver(notice)


async def _three_notices(core, user, clock) -> None:
    async with core.db.session() as session:
        for i in range(3):
            await notify(session, clock.now(), user.id, "post_live", f"target:{i}:posted",
                         link=f"L{i}")


async def _leases_renewed(core, clock) -> None:
    """Until the owner has renewed, at the clock's now, every row it still holds."""
    async with asyncio.timeout(60.0):
        while True:
            async with core.db.read() as session:
                leases = list(await session.scalars(select(OutboxMessage.lease_until).where(
                    OutboxMessage.state == State.RUNNING)))
            if leases and all(lease == clock.now() + LEASE for lease in leases):
                return
            await asyncio.sleep(0.01)  # polling the database; the ceiling is above


async def test_a_slow_send_while_another_process_delivers_sends_each_notice_once(
        core, user, clock):
    await _three_notices(core, user, clock)
    telegram = SlowFirstSend()
    first = asyncio.create_task(Outbox(core.db, clock, LEASE).deliver_due([telegram]))
    other = Outbox(core.db, clock, LEASE)
    async with asyncio.timeout(60.0):
        await telegram.started.wait()

    for _ in range(4):  # 20 s pass on the first send, the other process looking meanwhile
        clock.advance(LEASE / 3)
        await _leases_renewed(core, clock)
        assert await other.deliver_due([telegram]) == 0

    telegram.go.set()
    async with asyncio.timeout(60.0):
        assert await first == 3
    clock.advance(timedelta(minutes=11))
    assert await other.deliver_due([telegram]) == 0
    assert sorted(n.payload["link"] for n in telegram.sent) == ["L0", "L1", "L2"]


async def test_a_notice_another_process_took_over_is_not_sent_by_the_first(
        core, user, clock):
    await _three_notices(core, user, clock)
    telegram = SlowFirstSend()
    first = asyncio.create_task(Outbox(core.db, clock, LEASE).deliver_due([telegram]))
    async with asyncio.timeout(60.0):
        await telegram.started.wait()
    async with core.db.session() as session:  # as when the owner's renewals all failed
        await session.execute(update(OutboxMessage).where(
            OutboxMessage.event_key != "target:0:posted").values(
            claim_token="another process", lease_until=clock.now() + LEASE))

    telegram.go.set()
    async with asyncio.timeout(60.0):
        await first

    assert [n.event_key for n in telegram.sent] == ["target:0:posted"]
