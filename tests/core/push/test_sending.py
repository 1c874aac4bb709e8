"""Sending a notice to a creator's browsers: encrypted to each browser's keys, signed
with our VAPID key, gone subscriptions removed, passing trouble retried."""

from __future__ import annotations

from core.push import prefs, subscriptions
from core.push.service import PushMessage, PushService
from tests.core.push.conftest import subscribed

LIVE = PushMessage("Your post is live", "r/pics: Sunset", "/history", tag="target:1:posted")


async def test_every_browser_gets_the_message_it_can_decrypt(core, user, fake_push):
    phone = await subscribed(core, user, fake_push)
    laptop = await subscribed(core, user, fake_push)
    report = await PushService(core).send_to_user(user.id, "posted", LIVE)
    assert report.sent == 2
    for browser in (phone, laptop):
        [message] = fake_push.to(browser)
        assert message == {"title": "Your post is live", "body": "r/pics: Sunset",
                           "url": "/history", "tag": "target:1:posted"}


async def test_requests_are_signed_with_our_vapid_key_for_the_push_services_origin(
        core, user, fake_push):
    await subscribed(core, user, fake_push)
    await PushService(core).send_to_user(user.id, "posted", LIVE)
    [delivery] = fake_push.delivered
    assert delivery.vapid_key == PushService(core).public_key
    assert delivery.claims["aud"] == fake_push.origin
    assert delivery.claims["sub"] == "mailto:ops@example.com"
    assert delivery.headers["ttl"] == "86400"
    assert fake_push.refused == []


async def test_a_subscription_the_push_service_calls_gone_is_removed(core, user, fake_push):
    kept = await subscribed(core, user, fake_push)
    gone = await subscribed(core, user, fake_push)
    fake_push.unsubscribed(gone)
    report = await PushService(core).send_to_user(user.id, "posted", LIVE)
    assert (report.sent, report.gone) == (1, 1)
    async with core.db.read() as session:
        left = [s.endpoint for s in await subscriptions.of_user(session, user.id)]
    assert left == [kept.endpoint]


async def test_a_404_removes_the_subscription_too(core, user, fake_push):
    browser = await subscribed(core, user, fake_push)
    fake_push.answer(browser, 404)
    await PushService(core).send_to_user(user.id, "posted", LIVE)
    async with core.db.read() as session:
        assert await subscriptions.of_user(session, user.id) == []


async def test_a_busy_push_service_is_retried_after_its_retry_after(core, clock, user,
                                                                     fake_push):
    clock.autojump = True  # the retry waits on the fake clock
    browser = await subscribed(core, user, fake_push)
    fake_push.answer(browser, 503, times=2, headers={"Retry-After": "7"})
    report = await PushService(core).send_to_user(user.id, "posted", LIVE)
    assert report.sent == 1
    assert len(fake_push.to(browser)) == 1
    assert [s for s in clock.sleeps if s >= 7] == clock.sleeps[:2]


async def test_a_refusal_is_reported_and_the_subscription_kept(core, user, fake_push):
    browser = await subscribed(core, user, fake_push)
    fake_push.answer(browser, 400)
    report = await PushService(core).send_to_user(user.id, "posted", LIVE)
    assert (report.sent, len(report.errors)) == (0, 1)
    async with core.db.read() as session:
        assert len(await subscriptions.of_user(session, user.id)) == 1


async def test_a_creator_who_turned_push_off_for_a_kind_gets_none(core, user, fake_push):
    browser = await subscribed(core, user, fake_push)
    async with core.db.session() as session:
        await prefs.save(session, user.id, prefs.NoticePrefs().with_choice(
            "posted", prefs.PUSH, False), core.clock.now())
    report = await PushService(core).send_to_user(user.id, "posted", LIVE)
    assert report.sent == 0
    assert fake_push.to(browser) == []
