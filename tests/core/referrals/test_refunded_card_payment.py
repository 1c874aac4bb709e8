"""A card payment refunded in full takes back the referral reward it earned, as a
Stars refund does: only the subscription's first payment earns one, so only its
refund takes one back; a partial refund or a later period's refund changes nothing.
The real stripe library against the fake Stripe (charge.refunded, Invoice Payments)."""

from __future__ import annotations

from core.billing.payments import Payments
from core.bootstrap import Core
from core.referrals.models import EARNED, PENDING
from core.referrals.service import Referrals
from tests.core.referrals.conftest import MakeUser
from tests.core.referrals.test_rewards import ledger, referred
from tests.core.referrals.test_rewards import settings as settings  # Stripe's, the fixture
from tests.fakes.stripe import FakeStripe


async def bea_pays_by_card(core: Core, referrals: Referrals, make_user: MakeUser,
                           fake_stripe: FakeStripe) -> tuple[Payments, dict]:
    _, bea = await referred(core, referrals, make_user)
    payments = Payments.of(core)
    started = await payments.stripe_checkout(bea.id, "pro", "http://127.0.0.1/done")
    events = fake_stripe.complete_checkout(str(started.url).rsplit("/", 1)[-1])
    for event in events.values():
        await payments.handle_stripe_event(event)
    assert [status for status, *_ in await ledger(core)] == [EARNED]
    return payments, events["invoice"]["data"]["object"]


async def test_refunding_the_first_card_payment_takes_its_reward_back(
        core: Core, referrals: Referrals, make_user: MakeUser, fake_stripe: FakeStripe):
    payments, first = await bea_pays_by_card(core, referrals, make_user, fake_stripe)

    outcome = await payments.handle_stripe_event(fake_stripe.refund(first["id"]))

    assert outcome.result == "applied"
    assert await ledger(core) == [(PENDING, 500, None)]


async def test_a_refund_delivered_twice_takes_back_once(
        core: Core, referrals: Referrals, make_user: MakeUser, fake_stripe: FakeStripe):
    payments, first = await bea_pays_by_card(core, referrals, make_user, fake_stripe)
    refund = fake_stripe.refund(first["id"])

    results = [(await payments.handle_stripe_event(refund)).result for _ in range(2)]

    assert results == ["applied", "duplicate"]


async def test_a_partial_refund_or_a_later_periods_refund_keeps_the_reward(
        core: Core, referrals: Referrals, make_user: MakeUser, fake_stripe: FakeStripe):
    payments, first = await bea_pays_by_card(core, referrals, make_user, fake_stripe)
    later = fake_stripe.renew(first["parent"]["subscription_details"]["subscription"])
    await payments.handle_stripe_event(later)

    partial = await payments.handle_stripe_event(fake_stripe.refund(first["id"], amount=300))
    renewal = await payments.handle_stripe_event(
        fake_stripe.refund(later["data"]["object"]["id"]))

    assert (partial.result, renewal.result) == ("ignored", "ignored")
    assert [status for status, *_ in await ledger(core)] == [EARNED]  # the first one's


async def test_after_a_refund_only_a_new_payment_earns_the_reward_again(
        core: Core, referrals: Referrals, make_user: MakeUser, fake_stripe: FakeStripe):
    payments, first = await bea_pays_by_card(core, referrals, make_user, fake_stripe)
    sub = first["parent"]["subscription_details"]["subscription"]
    await payments.handle_stripe_event(fake_stripe.refund(first["id"]))

    await payments.handle_stripe_event(fake_stripe.change(sub, status="active"))
    assert [status for status, *_ in await ledger(core)] == [PENDING]  # no money: no reward

    await payments.handle_stripe_event(fake_stripe.renew(sub))
    assert [status for status, *_ in await ledger(core)] == [EARNED]
