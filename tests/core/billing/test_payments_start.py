"""One door to start an upgrade on any provider (`Payments.start`): chat and web name a
provider, the provider does the rest; what isn't sold or isn't set up is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.billing.payments import NotUpgradable, Payments
from core.billing.providers.stars import StarsNotConfigured
from core.billing.providers.stripe import StripeNotConfigured
from core.bootstrap import Core
from core.settings import Settings
from tests.core.billing.conftest import MakeUser
from tests.fakes.stripe import FakeStripe, stripe_section
from tests.fakes.telegram import FakeTelegram


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str,
             fake_stripe: FakeStripe, fake_telegram: FakeTelegram) -> Settings:
    return make_settings(
        database_url, billing={"tiers": {"pro": {"stripe_price": "price_pro"}}},
        stripe=stripe_section(fake_stripe),
        telegram={"token": fake_telegram.token, "api_base_url": fake_telegram.base_url})


async def test_stars_start_a_monthly_invoice_in_xtr(core: Core, make_user: MakeUser,
                                                    fake_telegram: FakeTelegram):
    user = await make_user()
    started = await Payments.of(core).start("stars", user.id, "pro", title="Pro",
                                            description="Pro for 30 days")
    assert started.provider == "stars"
    assert started.invoice == {"currency": "XTR", "amount": 1450}
    [made] = fake_telegram.calls_to("createInvoiceLink")
    assert (made.params["title"], made.params["description"]) == ("Pro", "Pro for 30 days")


async def test_stripe_starts_a_checkout_page(core: Core, make_user: MakeUser):
    user = await make_user()
    started = await Payments.of(core).start("stripe", user.id, "pro",
                                            return_url="http://x/done")
    assert started.provider == "stripe"
    assert started.url is not None


async def test_both_providers_are_offered_where_both_are_set_up(core: Core):
    assert Payments.of(core).offered(("stars", "stripe", "ccbill")) == ("stars", "stripe")


@pytest.mark.parametrize("tier", ["free", "gold", ""])
async def test_a_tier_that_is_not_a_paid_plan_is_refused(core: Core, make_user: MakeUser,
                                                         tier: str):
    user = await make_user()
    with pytest.raises(NotUpgradable):
        await Payments.of(core).start("stars", user.id, tier)


async def test_a_plan_without_a_price_on_a_provider_is_refused(core: Core,
                                                              make_user: MakeUser):
    user = await make_user()
    with pytest.raises(StripeNotConfigured):  # starter has no stripe_price here
        await Payments.of(core).start("stripe", user.id, "starter", return_url="http://x")


async def test_an_unknown_or_unset_provider_is_refused(
        make_settings: Callable[..., Settings], database_url: str, clock):
    from core.bootstrap import open_core

    async with open_core(make_settings(database_url), clock=clock) as core:
        payments = Payments.of(core)
        assert payments.offered(("stars", "stripe")) == ()
        with pytest.raises(StarsNotConfigured):
            await payments.start("stars", 1, "pro")
        with pytest.raises(StripeNotConfigured):
            await payments.start("ccbill", 1, "pro")
