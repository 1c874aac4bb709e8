"""The pay-as-you-go story end to end, through the real stripe library and the local fake
Stripe: Checkout for the metered price, the webhook puts the creator on the payg plan
(no daily caps), their usage is billed by the month and reaches Stripe's meter."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.billing.payg.bill import Bills
from core.billing.payg.meters import MeterReporter
from core.billing.payg.money import month_of
from core.billing.payments import Payments
from core.billing.tiers import Meter
from core.bootstrap import Core
from core.db.models import User
from core.settings import Settings
from tests.core.billing.conftest import TIERS, MakeUser
from tests.fakes.stripe import FakeStripe, stripe_section


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str,
             fake_stripe: FakeStripe) -> Settings:
    return make_settings(
        database_url, billing={"tiers": TIERS, "payg": {"stripe_price": "price_metered"}},
        stripe=stripe_section(fake_stripe))


async def subscribe_payg(core: Core, fake: FakeStripe, user: User) -> dict:
    payments = Payments(core.settings, core.db, core.clock, core.events, core.billing.plans)
    started = await payments.stripe_checkout(user.id, "payg", "http://127.0.0.1/done")
    (checkout,) = fake.checkouts.values()
    for event in fake.complete_checkout(str(started.url).rsplit("/", 1)[-1]).values():
        await payments.handle_stripe_event(event)
    return checkout


async def test_checkout_for_the_metered_price_carries_no_quantity(
        core: Core, make_user: MakeUser, fake_stripe: FakeStripe):
    checkout = await subscribe_payg(core, fake_stripe, await make_user())

    assert checkout["line_items"] == [{"price": "price_metered"}]


async def test_the_webhook_puts_the_creator_on_pay_as_you_go_without_daily_caps(
        core: Core, make_user: MakeUser, fake_stripe: FakeStripe):
    user = await make_user()
    await subscribe_payg(core, fake_stripe, user)

    for i in range(8):  # the free plan here allows 5 posts a day
        async with core.db.session() as session:
            fresh = await session.get(User, user.id)
            assert fresh is not None
            await core.billing.consume(session, fresh, Meter.POST, f"post-{i}")

    async with core.db.read() as session:
        fresh = await session.get(User, user.id)
        assert fresh is not None
        assert fresh.tier == "payg"
        bill = await Bills(core.settings, core.clock).bill(session, user.id,
                                                          month_of(core.clock.now()))
    assert bill.lines[2].quantity == 8
    assert bill.subtotal_minor == 4  # 8 × 0.005 = 0.04

    assert await MeterReporter.from_core(core).report_due() == 8
    (customer,) = fake_stripe.customers
    assert fake_stripe.meter_total("thottopilot_post", customer) == 8
