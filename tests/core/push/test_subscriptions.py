"""What a browser sends as a subscription is checked before we ever POST to it."""

from __future__ import annotations

import pytest

from core.push import subscriptions
from core.push.service import PushService
from core.push.subscriptions import SubscriptionRejected, endpoint_allowed, parse
from core.users import Who
from tests.core.push.conftest import subscribed


@pytest.mark.parametrize("endpoint", [
    "https://fcm.googleapis.com/fcm/send/abc",
    "https://updates.push.services.mozilla.com/wpush/v2/abc",
    "https://web.push.apple.com/QGx",
    "https://wns2-par02p.notify.windows.com/w/?token=x",
])
def test_the_big_push_services_are_accepted(endpoint):
    assert endpoint_allowed(endpoint, [])


@pytest.mark.parametrize("endpoint", [
    "http://fcm.googleapis.com/fcm/send/abc",  # not https
    "https://127.0.0.1/internal",  # our own network
    "https://fcm.googleapis.com.evil.example/x",
    "https://user:pw@fcm.googleapis.com/x",
    "https://fcm.googleapis.com:8443/x",
    "file:///etc/passwd",
])
def test_anything_else_is_refused_so_the_server_never_posts_there(endpoint):
    assert not endpoint_allowed(endpoint, [])


def test_keys_of_the_wrong_size_are_refused(fake_push):
    data = fake_push.browser().to_json()
    data["keys"]["auth"] = "c2hvcnQ"
    with pytest.raises(SubscriptionRejected) as refused:
        parse(data, [fake_push.origin])
    assert refused.value.code == "bad_keys"


def test_an_endpoint_that_is_not_a_string_is_refused(fake_push):
    with pytest.raises(SubscriptionRejected) as refused:
        parse({"endpoint": ["x"], "keys": {}}, [fake_push.origin])
    assert refused.value.code == "bad_endpoint"


async def test_subscribing_again_updates_the_keys_instead_of_adding_a_row(core, user,
                                                                          fake_push):
    browser = await subscribed(core, user, fake_push)
    new = PushService(core).parse(browser.to_json(label="Firefox on Linux"))
    async with core.db.session() as session:
        await subscriptions.subscribe(session, user.id, new, core.clock.now())
        [row] = await subscriptions.of_user(session, user.id)
    assert (row.endpoint, row.user_agent) == (browser.endpoint, "Firefox on Linux")


async def test_a_browser_subscribed_under_another_account_moves_to_the_new_one(
        core, user, fake_push):
    browser = await subscribed(core, user, fake_push)
    async with core.db.session() as session:
        other, _ = await core.users.get_or_create(session, Who("telegram", "78"))
        await subscriptions.subscribe(session, other.id, PushService(core).parse(
            browser.to_json()), core.clock.now())
        assert await subscriptions.of_user(session, user.id) == []
        assert len(await subscriptions.of_user(session, other.id)) == 1


async def test_nobody_can_unsubscribe_someone_elses_browser(core, user, fake_push):
    browser = await subscribed(core, user, fake_push)
    async with core.db.session() as session:
        other, _ = await core.users.get_or_create(session, Who("telegram", "79"))
        assert not await subscriptions.unsubscribe(session, other.id, browser.endpoint)
        assert await subscriptions.unsubscribe(session, user.id, browser.endpoint)
        assert await subscriptions.of_user(session, user.id) == []
