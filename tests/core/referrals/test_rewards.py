"""The referrer's reward is earned when the person they brought first pays, through the
one path every payment ends in (Stripe webhooks and Telegram Stars alike), and only
once: a redelivered or replayed payment, a renewal or a second plan earns nothing more.
Rewards are recorded in the ledger: pending → earned → paid."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.billing.models import Entitlement
from core.billing.payments import Payments
from core.billing.providers.stars import StarsPayment, StarsProvider
from core.bootstrap import Core
from core.db.models import User
from core.referrals.models import EARNED, PAID, PENDING, Referral
from core.referrals.service import Referrals
from core.settings import Settings
from tests.core.referrals.conftest import MakeUser, code_of, pays_by_stars, sign_up_through
from tests.fakes.stripe import FakeStripe, stripe_section


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str,
             fake_stripe: FakeStripe) -> Settings:
    return make_settings(
        database_url, billing={"tiers": {"pro": {"stripe_price": "price_pro"}}},
        stripe=stripe_section(fake_stripe))


async def ledger(core: Core) -> list[tuple[str, int, str | None]]:
    async with core.db.read() as session:
        rows = await session.scalars(select(Referral).order_by(Referral.referred_id))
        return [(r.status, r.amount_minor, r.earned_ref) for r in rows]


async def referred(core: Core, referrals: Referrals, make_user: MakeUser
                   ) -> tuple[User, User]:
    alice = await make_user("alice")
    bea, _ = await sign_up_through(core, referrals, await code_of(core, referrals, alice),
                                   "bea")
    return alice, bea


async def test_signing_up_earns_nothing_yet(core: Core, referrals: Referrals,
                                            make_user: MakeUser):
    await referred(core, referrals, make_user)
    assert await ledger(core) == [(PENDING, 500, None)]


async def test_the_first_stars_payment_earns_the_credit(
        core: Core, referrals: Referrals, make_user: MakeUser):
    _, bea = await referred(core, referrals, make_user)

    await pays_by_stars(core, bea, "charge-1")

    assert await ledger(core) == [(EARNED, 500, "stars:charge-1")]


async def test_a_redelivered_stars_payment_update_earns_once(
        core: Core, referrals: Referrals, make_user: MakeUser):
    _, bea = await referred(core, referrals, make_user)
    stars = StarsProvider(core.settings, core.db, core.clock, core.events,
                          core.billing.plans, core.secret_key)
    payment = StarsPayment("charge-7", stars.payload(bea.id, "pro"), "XTR", 1450, "bea")

    for _ in range(3):
        async with core.db.session() as session:
            user = await session.get(User, bea.id)
            assert user is not None
            await stars.paid(session, user, payment)

    assert await ledger(core) == [(EARNED, 500, "stars:charge-7")]


async def test_renewals_and_later_payments_earn_nothing_more(
        core: Core, referrals: Referrals, make_user: MakeUser):
    _, bea = await referred(core, referrals, make_user)
    await pays_by_stars(core, bea, "charge-1")
    await pays_by_stars(core, bea, "charge-2")

    assert await ledger(core) == [(EARNED, 500, "stars:charge-1")]


async def test_a_trial_or_a_manual_grant_is_not_a_payment(
        core: Core, referrals: Referrals, make_user: MakeUser):
    from core.billing import grants

    _, bea = await referred(core, referrals, make_user)
    await pays_by_stars(core, bea, "trial-1", status="trialing")
    async with core.db.session() as session:
        user = await session.get(User, bea.id)
        assert user is not None
        await grants.grant(session, core.clock.now(), user, source="manual", ref="gift",
                           tier="pro", status="active", ends_at=None)

    assert await ledger(core) == [(PENDING, 500, None)]


async def test_a_stripe_payment_earns_once_however_often_its_webhook_is_replayed(
        core: Core, referrals: Referrals, make_user: MakeUser, fake_stripe: FakeStripe):
    _, bea = await referred(core, referrals, make_user)
    payments = Payments(core.settings, core.db, core.clock, core.events, core.billing.plans)
    started = await payments.stripe_checkout(bea.id, "pro", "http://127.0.0.1/done")
    events = fake_stripe.complete_checkout(str(started.url).rsplit("/", 1)[-1])

    for _ in range(2):
        for event in events.values():
            await payments.handle_stripe_event(event)
    await payments.replay_stripe(core.clock.now() - timedelta(days=1))
    renewal = fake_stripe.change(fake_stripe.events[1]["data"]["object"]["id"], status="active")
    await payments.handle_stripe_event(renewal)

    ((status, amount, ref),) = await ledger(core)
    assert (status, amount) == (EARNED, 500)
    assert ref == f"stripe:{events['invoice']['data']['object']['id']}"  # the paid invoice


async def test_a_plan_that_starts_at_nothing_paid_earns_nothing_yet(
        core: Core, referrals: Referrals, make_user: MakeUser, fake_stripe: FakeStripe):
    """A pay-as-you-go plan (or a trial) is active before any money comes in: a reward
    waits for the first invoice paid for more than zero."""
    _, bea = await referred(core, referrals, make_user)
    payments = Payments.of(core)
    started = await payments.stripe_checkout(bea.id, "pro", "http://127.0.0.1/done")
    events = fake_stripe.complete_checkout(str(started.url).rsplit("/", 1)[-1], amount_paid=0)
    for event in events.values():
        await payments.handle_stripe_event(event)
    assert [status for status, *_ in await ledger(core)] == [PENDING]

    sub = events["created"]["data"]["object"]["id"]
    await payments.handle_stripe_event(fake_stripe.renew(sub))  # the first real bill

    assert [status for status, *_ in await ledger(core)] == [EARNED]


async def test_a_payment_by_someone_not_referred_earns_nobody_anything(
        core: Core, referrals: Referrals, make_user: MakeUser):
    await pays_by_stars(core, await make_user("dan"), "charge-9")
    assert await ledger(core) == []


@pytest.fixture
def free_month(make_settings: Callable[..., Settings], database_url: str) -> Settings:
    return make_settings(database_url, billing={"referrals": {
        "reward": "free_month", "free_month_tier": "pro", "free_month_days": 30}})


async def test_a_free_month_reward_is_granted_and_paid_on_the_first_payment(
        free_month: Settings, make_user: MakeUser, core: Core):
    referrals = Referrals(free_month, core.clock, core.events, core.secret_key)
    alice, bea = await referred(core, referrals, make_user)

    await pays_by_stars(core, bea, "charge-1")
    await pays_by_stars(core, bea, "charge-1")  # redelivered

    assert await ledger(core) == [(PAID, 0, "stars:charge-1")]
    async with core.db.read() as session:
        granted = [(g.source, g.tier, g.ends_at) for g in await session.scalars(
            select(Entitlement).where(Entitlement.user_id == alice.id))]
        tier = (await session.get(User, alice.id)).tier  # type: ignore[union-attr]
    assert granted == [
        ("referral", "pro", core.clock.now() + timedelta(days=30))]
    assert tier == "pro"


async def test_the_summary_counts_sign_ups_payers_and_credit(
        core: Core, referrals: Referrals, make_user: MakeUser):
    alice, bea = await referred(core, referrals, make_user)
    code = await code_of(core, referrals, alice)
    await sign_up_through(core, referrals, code, "cal")
    await pays_by_stars(core, bea, "charge-1")

    async with core.db.session() as session:
        summary = await referrals.summary(session, alice)

    assert (summary.signed_up, summary.paying) == (2, 1)
    assert (summary.credit_earned_minor, summary.credit_left_minor) == (500, 500)
    assert summary.web_link.endswith(f"/r/{code}")


async def test_a_first_payment_after_the_referrer_was_purged_rewards_nobody(
        free_month: Settings, make_user: MakeUser, core: Core):
    from sqlalchemy import delete

    referrals = Referrals(free_month, core.clock, core.events, core.secret_key)
    alice, bea = await referred(core, referrals, make_user)
    async with core.db.session() as session:  # what the purge does to her users row
        await session.execute(delete(User).where(User.id == alice.id))

    await pays_by_stars(core, bea, "charge-1")

    assert await ledger(core) == [(EARNED, 0, "stars:charge-1")]
    async with core.db.read() as session:
        granted = list(await session.scalars(
            select(Entitlement.user_id).where(Entitlement.source == "referral")))
    assert granted == []
