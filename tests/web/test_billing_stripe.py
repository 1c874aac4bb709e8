"""Stripe through the real stripe library against a local fake Stripe: Checkout from a
signed chat link, the Customer Portal, and a webhook that believes only valid, fresh
signatures, applies each event once and follows the subscription as Stripe has it now."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from core.billing.links import checkout_link, portal_link
from core.billing.models import ProcessedEvent
from core.billing.payments import DUNNING, Payments
from core.bootstrap import Core
from core.db.models import User
from core.posting.models import OutboxMessage
from core.settings import Settings
from core.signing import Signer
from core.texts import site as texts
from core.users import Who
from tests.fakes.stripe import FakeStripe, stripe_section

CEILING = 60.0
PRICES = {"starter": {"stripe_price": "price_starter"}, "pro": {"stripe_price": "price_pro"}}


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str,
             fake_stripe: FakeStripe) -> Settings:
    return make_settings(
        database_url,
        stripe=stripe_section(fake_stripe),
        billing={"tiers": PRICES})


@pytest.fixture
async def user(core: Core) -> User:
    async with core.db.session() as session:
        found, _ = await core.users.get_or_create(session, Who("telegram", "42"))
    return found


async def tier_of(core: Core, user: User) -> str:
    async with core.db.session() as session:
        return (await session.get(User, user.id)).tier  # type: ignore[union-attr]


def hook(web: TestClient) -> str:
    return str(web.make_url("/billing/stripe/webhook"))


async def subscribe(core: Core, web: TestClient, stripe: FakeStripe, user: User,
                    tier: str = "pro") -> dict:
    """The creator taps "Pay by card" and pays: Stripe's events, not yet delivered."""
    link = checkout_link(Signer(core.secret_key, core.clock), "", user.id, tier)
    resp = await web.get(link, allow_redirects=False)
    assert resp.status == 303
    session_id = resp.headers["Location"].rsplit("/", 1)[-1]
    return stripe.complete_checkout(session_id)


async def test_pay_by_card_opens_stripe_checkout_for_the_tiers_price(
        core, web, fake_stripe, user):
    link = checkout_link(Signer(core.secret_key, core.clock), "", user.id, "pro")
    resp = await web.get(link, allow_redirects=False)

    assert resp.status == 303
    assert resp.headers["Location"].startswith(f"{fake_stripe.api_base}/pay/cs_")
    (checkout,) = fake_stripe.checkouts.values()
    assert checkout["mode"] == "subscription"
    assert checkout["line_items"] == [{"price": "price_pro", "quantity": "1"}]
    assert checkout["client_reference_id"] == str(user.id)
    assert checkout["customer"] in fake_stripe.customers


async def test_a_payment_link_used_again_after_paying_opens_no_second_subscription(
        core, web, fake_stripe, user):
    link = checkout_link(Signer(core.secret_key, core.clock), "", user.id, "pro")
    events = await subscribe(core, web, fake_stripe, user)
    await fake_stripe.deliver(events["checkout"], hook(web))

    again = await web.get(link, allow_redirects=False)
    lower = await web.get(checkout_link(Signer(core.secret_key, core.clock), "", user.id,
                                        "starter"), allow_redirects=False)

    assert (again.status, lower.status) == (409, 409)
    assert await again.text() == texts.ALREADY_ON_PLAN.format(tier="Pro")
    assert len(fake_stripe.checkouts) == 1


async def test_a_tampered_checkout_link_has_expired(core, web, user):
    link = checkout_link(Signer(core.secret_key, core.clock), "", user.id, "pro")
    resp = await web.get(link.replace("-pro", "-premium"), allow_redirects=False)
    assert resp.status == 410


async def test_a_signed_link_for_a_plan_that_is_not_sold_is_refused_kindly(
        core, web, fake_stripe, user):
    signer = Signer(core.secret_key, core.clock)
    for tier in ("free", "gold"):
        resp = await web.get(checkout_link(signer, "", user.id, tier), allow_redirects=False)
        assert resp.status == 410
        assert "/upgrade" in await resp.text()


async def test_a_plan_without_a_card_price_says_cards_are_not_set_up(core, web, user):
    link = checkout_link(Signer(core.secret_key, core.clock), "", user.id, "premium")
    resp = await web.get(link, allow_redirects=False)
    assert resp.status == 503
    assert await resp.text() == texts.CARD_UNAVAILABLE


async def test_a_completed_checkout_lifts_the_tier_when_the_webhook_answers(
        core, web, fake_stripe, user):
    events = await subscribe(core, web, fake_stripe, user)

    status, body = await fake_stripe.deliver(events["checkout"], hook(web))

    assert (status, '"applied"' in body) == (200, True)
    assert await tier_of(core, user) == "pro"


async def test_a_forged_signature_is_refused_and_changes_nothing(core, web, fake_stripe, user):
    events = await subscribe(core, web, fake_stripe, user)

    status, _ = await fake_stripe.deliver(events["checkout"], hook(web),
                                          secret="whsec_someone_else")

    assert status == 400
    assert await tier_of(core, user) == "free"


async def test_a_signature_older_than_five_minutes_is_refused(core, web, fake_stripe, user):
    events = await subscribe(core, web, fake_stripe, user)

    status, _ = await fake_stripe.deliver(events["checkout"], hook(web),
                                          timestamp=int(time.time()) - 301)

    assert status == 400
    assert await tier_of(core, user) == "free"


async def test_a_missing_signature_is_refused(core, web, fake_stripe, user):
    events = await subscribe(core, web, fake_stripe, user)
    status, _ = await fake_stripe.deliver(events["checkout"], hook(web), header="")
    assert status == 400


@pytest.mark.both_backends
async def test_a_redelivered_event_is_processed_once(core, web, fake_stripe, user):
    events = await subscribe(core, web, fake_stripe, user)

    first = await fake_stripe.deliver(events["checkout"], hook(web))
    again = await fake_stripe.deliver(events["checkout"], hook(web))

    assert first[0] == again[0] == 200
    assert '"duplicate"' in again[1]
    async with core.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedEvent)) == 1


async def test_a_late_update_cannot_undo_a_cancellation(core, web, fake_stripe, user):
    events = await subscribe(core, web, fake_stripe, user)
    sub_id = events["created"]["data"]["object"]["id"]
    upgraded = fake_stripe.change(sub_id, price="price_pro")
    cancelled = fake_stripe.change(sub_id, status="canceled")

    await fake_stripe.deliver(cancelled, hook(web))  # out of order: newest first
    await fake_stripe.deliver(upgraded, hook(web))
    await fake_stripe.deliver(events["created"], hook(web))

    assert await tier_of(core, user) == "free"


async def test_an_event_whose_read_was_overtaken_cannot_undo_a_cancellation(
        core, web, fake_stripe, user):
    events = await subscribe(core, web, fake_stripe, user)
    await fake_stripe.deliver(events["checkout"], hook(web))
    sub_id = events["created"]["data"]["object"]["id"]
    failed = fake_stripe.fail_renewal(sub_id)
    fake_stripe.slow_reads = 1  # the failed renewal's look at Stripe: "past_due", late
    late = asyncio.create_task(fake_stripe.deliver(failed, hook(web)))
    async with asyncio.timeout(CEILING):
        await fake_stripe.read_arrived.wait()

    await fake_stripe.deliver(fake_stripe.change(sub_id, status="canceled"), hook(web))
    fake_stripe.release_reads.set()
    async with asyncio.timeout(CEILING):
        assert (await late)[0] == 200

    assert await tier_of(core, user) == "free"


async def test_a_plan_change_in_the_portal_changes_the_tier(core, web, fake_stripe, user):
    events = await subscribe(core, web, fake_stripe, user)
    await fake_stripe.deliver(events["checkout"], hook(web))
    sub_id = events["created"]["data"]["object"]["id"]

    await fake_stripe.deliver(fake_stripe.change(sub_id, price="price_starter"), hook(web))

    assert await tier_of(core, user) == "starter"


async def test_a_failed_renewal_keeps_the_tier_and_tells_the_creator_once(
        core, web, fake_stripe, user):
    events = await subscribe(core, web, fake_stripe, user)
    await fake_stripe.deliver(events["checkout"], hook(web))
    sub_id = events["created"]["data"]["object"]["id"]
    failed = fake_stripe.fail_renewal(sub_id)

    await fake_stripe.deliver(failed, hook(web))
    await fake_stripe.deliver(failed, hook(web))

    assert await tier_of(core, user) == "pro"  # past_due: a grace while Stripe retries
    async with core.db.session() as session:
        notices = list(await session.scalars(select(OutboxMessage)))
    assert [(n.user_id, n.kind) for n in notices] == [(user.id, DUNNING)]


async def test_the_portal_link_opens_stripes_customer_portal(core, web, fake_stripe, user):
    events = await subscribe(core, web, fake_stripe, user)
    await fake_stripe.deliver(events["checkout"], hook(web))

    link = portal_link(Signer(core.secret_key, core.clock), "", user.id)
    resp = await web.get(link, allow_redirects=False)

    assert resp.status == 303
    assert resp.headers["Location"] == fake_stripe.portals[0]["url"]
    assert fake_stripe.portals[0]["customer"] in fake_stripe.customers


async def test_a_portal_link_stripe_failed_on_is_logged_without_its_token(
        core, web, fake_stripe, user, caplog):
    events = await subscribe(core, web, fake_stripe, user)
    await fake_stripe.deliver(events["checkout"], hook(web))
    link = portal_link(Signer(core.secret_key, core.clock), "", user.id)
    fake_stripe.fail_next = 1  # Stripe answers 500: the error page, and a log line

    resp = await web.get(link, allow_redirects=False)

    assert resp.status == 500
    token = link.rsplit("/", 1)[-1]
    logged = [r.getMessage() for r in caplog.records if r.name == "web.middleware"]
    assert logged == ["unhandled error on GET /billing/portal/***"]
    assert not any(token in r.getMessage() for r in caplog.records)


@pytest.mark.both_backends
async def test_replay_applies_missed_events_once(core, web, fake_stripe, user):
    await subscribe(core, web, fake_stripe, user)  # no webhook ever arrives
    payments = Payments(core.settings, core.db, core.clock, core.events, core.billing.plans)
    since = datetime.fromtimestamp(fake_stripe.now - 60, UTC)

    first = await payments.replay_stripe(since)
    again = await payments.replay_stripe(since)

    assert [o.result for o in first] == ["applied", "applied", "applied"]
    assert {o.result for o in again} == {"duplicate"}
    assert await tier_of(core, user) == "pro"
