"""The Stars provider's own rules, without Telegram: which pre-checkouts it accepts and
how a payment becomes a plan (the Bot API side is in tests/bot/telegram/test_stars_telegram.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.billing.models import Entitlement
from core.billing.providers.stars import StarsPayment, StarsProvider
from core.bootstrap import Core
from tests.core.billing.conftest import MakeUser


def stars_of(core: Core) -> StarsProvider:
    return StarsProvider(core.settings, core.db, core.clock, core.events,
                         core.billing.plans, core.secret_key)


async def test_our_payload_for_the_payer_at_the_plans_price_is_accepted(core: Core):
    stars = stars_of(core)
    assert stars.check(7, stars.payload(7, "pro"), "XTR", 1450) is None


async def test_an_altered_tier_or_tag_is_refused_as_forged(core: Core):
    stars = stars_of(core)
    payload = stars.payload(7, "starter")
    assert stars.check(7, payload.replace(".starter.", ".premium."), "XTR", 450) == "forged"
    body, _, tag = payload.rpartition(".")
    altered = ("B" if tag[0] == "A" else "A") + tag[1:]  # always a different signature
    assert stars.check(7, f"{body}.{altered}", "XTR", 450) == "forged"
    assert stars.check(7, "7.starter", "XTR", 450) == "forged"


async def test_another_users_invoice_or_another_currency_is_refused(core: Core):
    stars = stars_of(core)
    assert stars.check(8, stars.payload(7, "pro"), "XTR", 1450) == "forged"
    assert stars.check(7, stars.payload(7, "pro"), "USD", 1450) == "forged"


async def test_an_invoice_at_an_old_price_is_refused(core: Core):
    stars = stars_of(core)
    assert stars.check(7, stars.payload(7, "pro"), "XTR", 999) == "price_changed"


async def test_a_charge_grants_its_period_once(core: Core, make_user: MakeUser):
    user, stars = await make_user(), stars_of(core)
    payment = StarsPayment("ch-1", stars.payload(user.id, "pro"), "XTR", 1450, "42")
    async with core.db.session() as session:
        first = await stars.paid(session, user, payment)
        again = await stars.paid(session, user, payment)
        count = await session.scalar(select(func.count()).select_from(Entitlement))
    assert first is not None
    assert again is None
    assert count == 1
    assert first.ends_at == core.clock.now() + timedelta(days=30)
    assert user.tier == "pro"


async def test_a_payment_with_someone_elses_payload_grants_nothing(core: Core,
                                                                   make_user: MakeUser):
    alice, bob = await make_user("alice"), await make_user("bob")
    stars = stars_of(core)
    payment = StarsPayment("ch-2", stars.payload(alice.id, "pro"), "XTR", 1450, "43")
    async with core.db.session() as session:
        assert await stars.paid(session, bob, payment) is None
    assert bob.tier == "free"


async def test_the_same_charge_handled_by_two_processes_at_once_grants_once(
        core: Core, make_user: MakeUser):
    """Two workers given the same successful_payment at the same moment: the charge id
    is claimed in billing_events by one transaction; the other finds it taken."""
    import asyncio

    user, stars = await make_user(), stars_of(core)
    payment = StarsPayment("ch-race", stars.payload(user.id, "pro"), "XTR", 1450, "42")

    async def deliver() -> bool:
        async with core.db.session() as session:
            payer = await session.get(type(user), user.id)
            assert payer is not None
            return await stars.paid(session, payer, payment) is not None

    results = await asyncio.gather(deliver(), deliver())
    async with core.db.read() as session:
        count = await session.scalar(select(func.count()).select_from(Entitlement))
    assert sorted(results) == [False, True]
    assert count == 1
