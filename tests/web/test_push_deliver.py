"""Post notices as web push: the outbox's push rows go to every browser a creator
subscribed, once per event, and a crash before the row is marked sends it once more."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.bootstrap import open_core
from core.posting.models import OutboxMessage, State
from core.posting.outbox import Notice, Outbox, notify
from core.posting.service import PostingService
from core.posting.worker import start_workers
from core.push import subscriptions
from core.push.service import PushService
from tests.core.posting.conftest import text_job
from tests.fakes.creators import adult_creator, connected_account
from tests.fakes.push import Browser, FakePushService, running_fake_push
from web.pwa.push_deliver import PushDeliverer

LEASE = timedelta(seconds=30)


@pytest.fixture
async def fake_push() -> AsyncIterator[FakePushService]:
    async with running_fake_push() as fake:
        yield fake


@pytest.fixture
def settings(make_settings, database_url, fake_push, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section(),
                         push={"extra_endpoint_origins": [fake_push.origin]},
                         posting={"lease_seconds": 10, "settle_seconds": 30})


@pytest.fixture
async def user(core):
    return await adult_creator(core)


async def _subscribe(core, user, fake_push) -> Browser:
    browser = fake_push.browser()
    async with core.db.session() as session:
        await subscriptions.subscribe(session, user.id, PushService(core).parse(
            browser.to_json()), core.clock.now())
    return browser


async def _notify(core, user, kind: str, key: str, **payload) -> None:
    async with core.db.session() as session:
        await notify(session, core.clock.now(), user.id, kind, key, **payload)


async def _push_rows(core) -> list[OutboxMessage]:
    async with core.db.session() as session:
        return list(await session.scalars(select(OutboxMessage).where(
            OutboxMessage.route == "push")))


async def test_a_live_post_arrives_as_a_notification_that_opens_history(core, user,
                                                                        fake_push):
    phone = await _subscribe(core, user, fake_push)
    await _notify(core, user, "post_live", "target:1:posted", subreddit="pics",
                  title="Sunset")
    await Outbox(core.db, core.clock, LEASE).deliver_due([PushDeliverer(core)], route="push")
    assert fake_push.to(phone) == [{"title": "Your post is live", "body": "r/pics: Sunset",
                                    "url": "/history", "tag": "target:1:posted#push"}]
    [row] = await _push_rows(core)
    assert (row.state, row.transport) == (State.SENT, "push")


async def test_a_failed_post_arrives_on_every_device_and_opens_the_queue(core, user,
                                                                         fake_push):
    phone, laptop = await _subscribe(core, user, fake_push), await _subscribe(core, user,
                                                                              fake_push)
    await _notify(core, user, "post_failed", "target:2:failed:1", subreddit="cats",
                  title="Nap")
    await Outbox(core.db, core.clock, LEASE).deliver_due([PushDeliverer(core)], route="push")
    for browser in (phone, laptop):
        [message] = fake_push.to(browser)
        assert (message["title"], message["url"]) == ("A post didn't go out", "/queue")


async def test_chat_transports_never_see_push_rows(core, user, fake_push):
    await _subscribe(core, user, fake_push)
    await _notify(core, user, "post_live", "target:3:posted", subreddit="pics")

    class Chat:
        name = "telegram"

        def __init__(self) -> None:
            self.sent: list[Notice] = []

        async def deliver(self, notice: Notice) -> bool:
            self.sent.append(notice)
            return True

    chat = Chat()
    await Outbox(core.db, core.clock, LEASE).deliver_due([chat])
    assert [n.event_key for n in chat.sent] == ["target:3:posted"]
    assert fake_push.delivered == []


async def test_a_gone_subscription_is_removed_and_not_tried_again(core, user, fake_push):
    phone = await _subscribe(core, user, fake_push)
    fake_push.unsubscribed(phone)
    await _notify(core, user, "post_live", "target:4:posted", subreddit="pics")
    await Outbox(core.db, core.clock, LEASE).deliver_due([PushDeliverer(core)], route="push")
    async with core.db.read() as session:
        assert await subscriptions.of_user(session, user.id) == []
    [row] = await _push_rows(core)
    assert row.state == State.FAILED  # nobody left to reach: not retried forever


@pytest.mark.both_backends
async def test_a_crash_before_the_row_is_marked_sends_it_once_more(core, clock, user,
                                                                   fake_push):
    phone = await _subscribe(core, user, fake_push)
    await _notify(core, user, "post_live", "target:5:posted", subreddit="pics")

    class CrashAfterSending(PushDeliverer):
        async def deliver(self, notice: Notice) -> bool:
            await super().deliver(notice)
            raise asyncio.CancelledError  # the process dies before the outbox marks it

    with pytest.raises(asyncio.CancelledError):
        await Outbox(core.db, core.clock, LEASE).deliver_due([CrashAfterSending(core)],
                                                             route="push")
    assert len(fake_push.to(phone)) == 1
    outbox = Outbox(core.db, core.clock, LEASE)
    assert await outbox.deliver_due([PushDeliverer(core)], route="push") == 0  # leased
    clock.advance(LEASE + timedelta(seconds=1))
    await outbox.deliver_due([PushDeliverer(core)], route="push")
    clock.advance(timedelta(hours=1))
    await outbox.deliver_due([PushDeliverer(core)], route="push")
    assert len(fake_push.to(phone)) == 2
    [row] = await _push_rows(core)
    assert row.state == State.SENT


async def test_a_push_service_outage_is_retried_by_the_outbox_later(core, clock, user,
                                                                   fake_push):
    clock.autojump = True  # the sender's own retries wait on the fake clock
    phone = await _subscribe(core, user, fake_push)
    fake_push.answer(phone, 502, times=4)  # outlasts the sender's retries
    await _notify(core, user, "post_live", "target:6:posted", subreddit="pics")
    outbox = Outbox(core.db, core.clock, LEASE)
    await outbox.deliver_due([PushDeliverer(core)], route="push")
    [row] = await _push_rows(core)
    assert (row.state, fake_push.to(phone)) == (State.QUEUED, [])
    clock.advance(timedelta(minutes=11))
    await outbox.deliver_due([PushDeliverer(core)], route="push")
    assert len(fake_push.to(phone)) == 1


async def test_the_worker_pushes_a_scheduled_post_going_live(settings, fake_push,
                                                             fake_reddit):
    """Real time here: the posting worker and the delivery loop run on the system clock."""
    fake_reddit.add_sub("pics")
    async with open_core(settings) as core:
        user = await adult_creator(core)
        account = await connected_account(core, user, fake_reddit)
        phone = await _subscribe(core, user, fake_push)
        await text_job(PostingService(core), user, account, ("pics", "Hello"))
        workers = start_workers(core, [PushDeliverer(core)])
        try:
            await asyncio.wait_for(fake_push.arrived.wait(), timeout=60)
        finally:
            await workers.stop()
    [message] = fake_push.to(phone)
    assert (message["title"], message["body"]) == ("Your post is live", "r/pics: Hello")


async def test_a_removed_post_arrives_as_a_notification_too(core, user, fake_push):
    phone = await _subscribe(core, user, fake_push)
    await _notify(core, user, "post_removed", "target:7:removed", subreddit="pics",
                  title="Sunset")
    await Outbox(core.db, core.clock, LEASE).deliver_due([PushDeliverer(core)], route="push")
    [message] = fake_push.to(phone)
    assert message["title"] == "A post was removed"
    assert message["body"].startswith("r/pics removed “Sunset”.")
