"""Pay-as-you-go usage reaches Stripe as Billing Meter events, through the real stripe
library against the local fake Stripe: one event per usage row, its idempotency key as
the `identifier`, marked reported only after Stripe answered; a crash in between sends
the same identifier again and Stripe counts it once. The running reporter rests between
batches on the injected clock: the specs move it on with `FakeClock.advance`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.billing.models import BillingCustomer, UsageRecord
from core.billing.payg.meters import MeterReporter
from core.billing.providers.stripe import StripeProvider
from core.billing.tiers import Meter
from core.bootstrap import Core
from core.db.models import User
from core.settings import Settings
from tests.core.billing.conftest import TIERS, MakeUser
from tests.fakes.clock import FakeClock
from tests.fakes.stripe import FakeStripe, stripe_section

CEILING = 60.0


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str,
             fake_stripe: FakeStripe) -> Settings:
    return make_settings(database_url, billing={"tiers": TIERS},
                         stripe=stripe_section(fake_stripe, webhook=False))


async def stripe_customer(core: Core, user: User) -> str:
    customer = await StripeProvider(core.settings, core.billing.plans).create_customer(user.id)
    async with core.db.session() as session:
        session.add(BillingCustomer(user_id=user.id, provider="stripe", customer_id=customer,
                                    created_at=core.clock.now()))
    return customer


async def use(core: Core, user: User, meter: Meter, key: str, quantity: int = 1) -> None:
    async with core.db.session() as session:
        await core.billing.consume(session, user, meter, key, quantity)


async def reported(core: Core) -> dict[str, bool]:
    async with core.db.read() as session:
        rows = await session.execute(select(UsageRecord.idempotency_key,
                                            UsageRecord.reported_at))
        return {key: at is not None for key, at in rows}


async def test_each_usage_row_becomes_one_meter_event_keyed_by_its_idempotency_key(
        core: Core, make_user: MakeUser, fake_stripe: FakeStripe):
    user = await make_user(tier="payg")
    customer = await stripe_customer(core, user)
    await use(core, user, Meter.CAPTION, "caption-1")
    await use(core, user, Meter.POST, "post-9", quantity=3)

    sent = await MeterReporter.from_core(core).report_due()

    assert sent == 2
    assert fake_stripe.meter_events["caption-1"]["event_name"] == "thottopilot_caption"
    assert fake_stripe.meter_events["post-9"]["payload"] == {
        "stripe_customer_id": customer, "value": "3"}
    assert int(fake_stripe.meter_events["post-9"]["timestamp"]) == int(
        core.clock.now().timestamp())
    assert await reported(core) == {"caption-1": True, "post-9": True}


async def test_reported_rows_are_not_sent_again(
        core: Core, make_user: MakeUser, fake_stripe: FakeStripe):
    user = await make_user(tier="payg")
    await stripe_customer(core, user)
    await use(core, user, Meter.IMAGE, "image-1")
    reporter = MeterReporter.from_core(core)
    await reporter.report_due()

    assert await reporter.report_due() == 0
    assert len(fake_stripe.meter_event_requests) == 1


async def test_only_pay_as_you_go_usage_of_stripe_customers_is_sent(
        core: Core, make_user: MakeUser, fake_stripe: FakeStripe):
    capped = await make_user("bea", tier="starter")
    await stripe_customer(core, capped)
    no_customer = await make_user("cal", tier="payg")
    await use(core, capped, Meter.CAPTION, "starter-caption")
    await use(core, no_customer, Meter.CAPTION, "payg-without-customer")

    assert await MeterReporter.from_core(core).report_due() == 0
    assert fake_stripe.meter_event_requests == []


async def test_a_crash_between_sending_and_marking_sends_the_same_identifier_once_more(
        core: Core, make_user: MakeUser, fake_stripe: FakeStripe):
    user = await make_user(tier="payg")
    customer = await stripe_customer(core, user)
    await use(core, user, Meter.CAPTION, "caption-crash", quantity=4)
    fake_stripe.hold_meter_responses = True  # Stripe counts it; the answer never comes
    dying = asyncio.create_task(MeterReporter.from_core(core).report_due())
    await asyncio.wait_for(fake_stripe.meter_event_arrived.wait(), CEILING)
    dying.cancel()  # the process dies before it can mark the row
    with pytest.raises(asyncio.CancelledError):
        await dying
    assert await reported(core) == {"caption-crash": False}

    fake_stripe.release_meter_responses.set()
    fake_stripe.hold_meter_responses = False
    assert await MeterReporter.from_core(core).report_due() == 1  # the next process

    identifiers = [r["identifier"] for r in fake_stripe.meter_event_requests]
    assert identifiers == ["caption-crash", "caption-crash"]
    assert fake_stripe.meter_total("thottopilot_caption", customer) == 4
    assert await reported(core) == {"caption-crash": True}


async def test_stripe_refusing_a_repeated_identifier_still_marks_the_row_reported(
        core: Core, make_user: MakeUser, fake_stripe: FakeStripe):
    user = await make_user(tier="payg")
    customer = await stripe_customer(core, user)
    await use(core, user, Meter.POST, "post-twice")
    reporter = MeterReporter.from_core(core)
    await reporter.send((await reporter.due())[0])  # sent, never marked
    fake_stripe.reject_duplicate_meter_events = True

    assert await reporter.report_due() == 1
    assert fake_stripe.meter_total("thottopilot_post", customer) == 1
    assert await reported(core) == {"post-twice": True}


async def test_an_event_stripe_refuses_for_good_is_left_unreported_and_others_go_on(
        core: Core, make_user: MakeUser, fake_stripe: FakeStripe):
    user = await make_user(tier="payg")
    await stripe_customer(core, user)
    ghost = await make_user("ghost", tier="payg")
    async with core.db.session() as session:  # a customer Stripe no longer has
        session.add(BillingCustomer(user_id=ghost.id, provider="stripe",
                                    customer_id="cus_deleted", created_at=core.clock.now()))
    await use(core, ghost, Meter.CAPTION, "ghost-caption")
    await use(core, user, Meter.CAPTION, "alice-caption")

    assert await MeterReporter.from_core(core).report_due() == 1
    assert await reported(core) == {"ghost-caption": False, "alice-caption": True}


async def test_the_worker_loop_reports_until_stopped(
        core: Core, make_user: MakeUser, fake_stripe: FakeStripe):
    user = await make_user(tier="payg")
    await stripe_customer(core, user)
    await use(core, user, Meter.CAPTION, "caption-loop")
    stop = asyncio.Event()
    loop = asyncio.create_task(MeterReporter.from_core(core).run(stop))

    await asyncio.wait_for(fake_stripe.meter_event_arrived.wait(), CEILING)
    stop.set()
    await asyncio.wait_for(loop, CEILING)

    assert await reported(core) == {"caption-loop": True}


async def test_the_running_reporter_sends_new_usage_when_its_interval_passes_on_the_clock(
        core: Core, make_user: MakeUser, fake_stripe: FakeStripe, clock: FakeClock):
    user = await make_user(tier="payg")
    await stripe_customer(core, user)
    await use(core, user, Meter.CAPTION, "before-start")
    stop = asyncio.Event()
    running = asyncio.create_task(MeterReporter.from_core(core).run(stop))
    async with asyncio.timeout(CEILING):
        await clock.parked(running)  # reported what was there, now resting
        await use(core, user, Meter.CAPTION, "while-resting")
        assert await reported(core) == {"before-start": True, "while-resting": False}
        clock.advance(timedelta(seconds=core.settings.billing.payg.report_seconds))
        await clock.parked(running)  # woke, reported, resting again
        assert await reported(core) == {"before-start": True, "while-resting": True}
        stop.set()
        await running
