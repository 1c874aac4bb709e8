"""The stripe library asks Stripe again after a 5xx as often as
`stripe.max_network_retries` says, so a passing blip at Stripe is not an error; with
none, the first 5xx reaches our code."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import stripe

from core.billing.providers.stripe import StripeProvider
from core.bootstrap import Core
from core.settings import Settings
from tests.fakes.stripe import FakeStripe, stripe_section


@pytest.fixture
def retries() -> int:
    return 1


@pytest.fixture
def settings(make_settings: Callable[..., Settings], sqlite_url: str,
             fake_stripe: FakeStripe, retries: int) -> Settings:
    """One backend: what is retried is an HTTP call, no database is involved."""
    return make_settings(sqlite_url, stripe=stripe_section(fake_stripe, retries=retries))


def _customer_requests(fake: FakeStripe) -> int:
    return sum(1 for method, path, _ in fake.requests if (method, path) == ("POST", "customers"))


async def test_a_passing_5xx_is_asked_again_and_succeeds(core: Core, fake_stripe: FakeStripe):
    fake_stripe.fail_next = 1
    customer = await StripeProvider(core.settings, core.billing.plans).create_customer(7)
    assert customer in fake_stripe.customers
    assert _customer_requests(fake_stripe) == 2


@pytest.mark.parametrize("retries", [0])
async def test_without_retries_the_first_5xx_is_an_error(core: Core, fake_stripe: FakeStripe):
    fake_stripe.fail_next = 1
    with pytest.raises(stripe.APIError):
        await StripeProvider(core.settings, core.billing.plans).create_customer(7)
    assert _customer_requests(fake_stripe) == 1
