"""Moving up from a paid plan never leaves two plans billing: a card subscriber who
upgrades by card confirms the new price on the subscription they have (Stripe's
Customer Portal, prorated), and a card plan another plan replaced stops renewing at
its period's end, asked again on the daily run until Stripe agrees. The real stripe
library against the local fake Stripe."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.billing.links import checkout_link
from core.billing.models import Entitlement
from core.billing.payments import Payments
from core.billing.providers.stars import StarsPayment
from core.bootstrap import Core
from core.db.models import User
from core.privacy.purge import purge_due
from core.signing import Signer
from tests.fakes.stripe import FakeStripe
from tests.web.test_billing_stripe import (  # noqa: F401 (fixtures)
    hook,
    settings,
    subscribe,
    tier_of,
)
from tests.web.test_billing_stripe import user as user  # the fixture


async def on_starter_by_card(core: Core, web, stripe: FakeStripe, user: User) -> str:
    events = await subscribe(core, web, stripe, user, "starter")
    assert (await stripe.deliver(events["created"], hook(web)))[0] == 200
    [sub] = stripe.subscriptions
    return sub


async def renewal_of(core: Core, ref: str) -> str | None:
    async with core.db.read() as session:
        return await session.scalar(select(Entitlement.renewal).where(
            Entitlement.source_ref == ref))


async def buys_pro_with_stars(core: Core, user: User) -> None:
    payments = Payments.of(core)
    assert payments.stars is not None
    payment = StarsPayment("charge-pro", payments.stars.payload(user.id, "pro"), "XTR",
                           1450, "42", core.clock.now() + timedelta(days=30), True)
    async with core.db.session() as session:
        payer = await session.get(User, user.id)
        assert payer is not None
        assert (await payments.stars.receive(session, payer, payment)).granted is not None
    await payments.settle_renewals(user.id)  # after the commit, as the chat flow does


async def test_upgrading_by_card_changes_the_price_of_the_card_plan_they_have(
        core, web, fake_stripe, user):
    sub = await on_starter_by_card(core, web, fake_stripe, user)

    resp = await web.get(checkout_link(Signer(core.secret_key, core.clock), "", user.id,
                                       "pro"), allow_redirects=False)

    assert resp.status == 303
    assert len(fake_stripe.checkouts) == 1  # no second Checkout, so no second subscription
    [portal] = fake_stripe.portals
    assert resp.headers["Location"] == portal["url"]
    confirm = portal["flow_data"]["subscription_update_confirm"]
    assert confirm["subscription"] == sub
    assert [i["price"] for i in confirm["items"]] == ["price_pro"]
    await fake_stripe.deliver(fake_stripe.confirm_portal_update(portal), hook(web))
    assert await tier_of(core, user) == "pro"
    assert list(fake_stripe.subscriptions) == [sub]


async def test_where_stripe_refuses_the_change_page_a_checkout_replaces_the_plan(
        core, web, fake_stripe, user):
    sub = await on_starter_by_card(core, web, fake_stripe, user)
    fake_stripe.portal_updates = False  # the operator's portal allows no plan changes

    resp = await web.get(checkout_link(Signer(core.secret_key, core.clock), "", user.id,
                                       "pro"), allow_redirects=False)
    [_, pro] = fake_stripe.checkouts
    await fake_stripe.deliver(fake_stripe.complete_checkout(pro)["created"], hook(web))

    assert resp.headers["Location"].startswith(f"{fake_stripe.api_base}/pay/cs_")
    assert await tier_of(core, user) == "pro"
    assert fake_stripe.subscriptions[sub]["cancel_at_period_end"] is True  # one bills


async def test_a_card_plan_a_better_plan_replaced_stops_renewing_at_its_period_end(
        core, web, fake_stripe, user):
    sub = await on_starter_by_card(core, web, fake_stripe, user)

    await buys_pro_with_stars(core, user)

    assert fake_stripe.subscriptions[sub]["cancel_at_period_end"] is True
    assert fake_stripe.subscriptions[sub]["status"] == "active"  # the month paid for runs
    assert await renewal_of(core, sub) == "stopped"
    assert await tier_of(core, user) == "pro"


async def test_a_stop_stripe_could_not_make_is_asked_again_on_the_daily_run(
        core, web, fake_stripe, user):
    sub = await on_starter_by_card(core, web, fake_stripe, user)
    fake_stripe.fail_updates = True
    await buys_pro_with_stars(core, user)
    assert await renewal_of(core, sub) == "stop"  # still to ask

    fake_stripe.fail_updates = False
    await purge_due(core)

    assert fake_stripe.subscriptions[sub]["cancel_at_period_end"] is True
    assert await renewal_of(core, sub) == "stopped"


async def test_a_plan_that_is_not_better_leaves_the_card_plan_renewing(
        core, web, fake_stripe, user):
    sub = await on_starter_by_card(core, web, fake_stripe, user)

    await fake_stripe.deliver(fake_stripe.change(sub, status="active"), hook(web))

    assert fake_stripe.updates == []
    assert await renewal_of(core, sub) is None
