"""Pay-as-you-go bills: usage rows taken on the payg plan in a UTC calendar month, priced
at the configured rates with exact decimals, rounded once to cents; referral credit
comes off the next bill, and a closed month keeps what it used."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.billing import grants
from core.billing.payg.bill import Bill, Bills, MonthNotOver
from core.billing.payg.money import BadMonth, show
from core.billing.tiers import Meter
from core.bootstrap import Core
from core.db.models import User
from core.referrals.models import EARNED, PAID, Referral
from core.referrals.service import Referrals
from core.settings import Settings
from tests.core.billing.conftest import TIERS, MakeUser
from tests.fakes.clock import FakeClock

NOV = datetime(2026, 11, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str) -> Settings:
    return make_settings(database_url, billing={"tiers": TIERS})


async def use(core: Core, clock: FakeClock, user: User, meter: Meter, n: int, *,
              at: datetime = NOV, key: str = "") -> None:
    """`n` units of `meter` at `at`, as one action (one usage row)."""
    clock.set(at)
    async with core.db.session() as session:
        await core.billing.consume(session, user, meter, key or f"{meter}-{at}", n)


async def bill(core: Core, user: User, month: str = "2026-11",
               settings: Settings | None = None) -> Bill:
    async with core.db.read() as session:
        return await Bills(settings or core.settings, core.clock).bill(session, user.id, month)


async def close(core: Core, user: User, month: str = "2026-11") -> Bill:
    async with core.db.session() as session:
        return await Bills(core.settings, core.clock).close(session, user.id, month)


async def test_a_month_of_usage_is_priced_per_unit_and_rounded_once(
        core: Core, clock: FakeClock, make_user: MakeUser):
    user = await make_user(tier="payg")
    for i in range(7):
        await use(core, clock, user, Meter.CAPTION, 1, key=f"caption-{i}")
    await use(core, clock, user, Meter.IMAGE, 3)
    await use(core, clock, user, Meter.POST, 2)
    await use(core, clock, user, Meter.POST, 3, at=NOV + timedelta(days=9))

    found = await bill(core, user)

    # 7 × 0.02 + 3 × 0.01 + 5 × 0.005 = 0.14 + 0.03 + 0.025 = 0.195 → 0.20
    assert [(line.meter, line.quantity, str(line.amount)) for line in found.lines] == [
        ("caption", 7, "0.14"), ("image", 3, "0.03"), ("post", 5, "0.025")]
    assert (found.subtotal_minor, found.credit_minor, found.total_minor) == (20, 0, 20)
    assert show(found.total_minor, found.currency) == "0.20 USD"


async def test_payg_has_no_daily_cap(core: Core, clock: FakeClock, make_user: MakeUser):
    user = await make_user(tier="payg")  # the free tier here allows 5 posts a day
    await use(core, clock, user, Meter.POST, 12)

    assert (await bill(core, user)).lines[2].quantity == 12


async def test_an_action_retried_with_its_key_is_billed_once(
        core: Core, clock: FakeClock, make_user: MakeUser):
    user = await make_user(tier="payg")
    for _ in range(3):
        await use(core, clock, user, Meter.CAPTION, 1, key="caption-request-1")

    assert (await bill(core, user)).lines[0].quantity == 1


async def test_the_month_runs_from_its_first_instant_to_the_next_in_utc(
        core: Core, clock: FakeClock, make_user: MakeUser):
    user = await make_user(tier="payg", timezone="Pacific/Kiritimati")  # UTC+14
    await use(core, clock, user, Meter.CAPTION, 1, at=datetime(2026, 10, 31, 23, 59, 59,
                                                               tzinfo=UTC))
    await use(core, clock, user, Meter.CAPTION, 2, at=datetime(2026, 11, 1, tzinfo=UTC))
    await use(core, clock, user, Meter.CAPTION, 4, at=datetime(2026, 11, 30, 23, 59, 59,
                                                               tzinfo=UTC))
    await use(core, clock, user, Meter.CAPTION, 8, at=datetime(2026, 12, 1, tzinfo=UTC))

    assert [(await bill(core, user, m)).lines[0].quantity
            for m in ("2026-10", "2026-11", "2026-12")] == [1, 6, 8]


async def test_usage_on_a_capped_tier_is_not_on_the_bill(
        core: Core, clock: FakeClock, make_user: MakeUser):
    user = await make_user(tier="starter")
    await use(core, clock, user, Meter.CAPTION, 4)

    assert (await bill(core, user)).subtotal_minor == 0


@pytest.fixture
def priced(make_settings: Callable[..., Settings], database_url: str) -> Settings:
    return make_settings(database_url, billing={
        "tiers": TIERS, "payg": {"rates": {"caption": "0.035"}}})


async def test_rates_come_from_configuration(
        priced: Settings, clock: FakeClock, make_user: MakeUser, core: Core):
    user = await make_user(tier="payg")
    await use(core, clock, user, Meter.CAPTION, 3)
    await use(core, clock, user, Meter.POST, 1)

    found = await bill(core, user, settings=priced)

    # 3 × 0.035 + 1 × 0.005 (a default kept) = 0.110 → 0.11
    assert [str(line.rate) for line in found.lines] == ["0.035", "0.01", "0.005"]
    assert found.subtotal_minor == 11


async def test_a_month_that_is_not_a_month_is_refused(core: Core, make_user: MakeUser):
    user = await make_user(tier="payg")
    for month in ("2026-13", "26-11", "2026-1", "november", ""):
        with pytest.raises(BadMonth):
            await bill(core, user, month)


async def test_a_month_closes_only_once_it_has_ended(
        core: Core, clock: FakeClock, make_user: MakeUser):
    user = await make_user(tier="payg")
    clock.set(datetime(2026, 11, 30, 23, 0, tzinfo=UTC))

    with pytest.raises(MonthNotOver):
        await close(core, user)


async def earn_credit(core: Core, clock: FakeClock, referrer: User, name: str) -> None:
    """Someone signs up through `referrer`'s link and pays by Stars."""
    referrals = Referrals.from_core(core)
    async with core.db.session() as session:
        code = await referrals.code_for(session, referrer)
        friend, _ = await core.users.get_or_create(session, _who(name))
        await referrals.attribute(session, friend, code, via="console", new_user=True)
        await grants.grant(session, clock.now(), friend, source="stars", ref=f"ch-{name}",
                           tier="starter", status="active",
                           ends_at=clock.now() + timedelta(days=30), paid=f"stars:ch-{name}")


def _who(name: str):  # type: ignore[no-untyped-def]
    from core.users import Who

    return Who("console", name)


async def test_earned_credit_comes_off_the_next_bill_and_is_used_once(
        core: Core, clock: FakeClock, make_user: MakeUser):
    user = await make_user(tier="payg")
    clock.set(datetime(2026, 10, 20, tzinfo=UTC))
    await earn_credit(core, clock, user, "bea")  # 5.00 USD by default
    await use(core, clock, user, Meter.CAPTION, 150)  # 3.00
    await use(core, clock, user, Meter.CAPTION, 150, at=datetime(2026, 12, 2, tzinfo=UTC))

    november = await close(core, user)
    again = await close(core, user)
    december = await bill(core, user, "2026-12")

    assert (november.subtotal_minor, november.credit_minor, november.total_minor) == (
        300, 300, 0)
    assert again == november
    assert (december.credit_minor, december.total_minor) == (200, 100)  # what was left


async def test_credit_used_up_is_paid_in_the_ledger(
        core: Core, clock: FakeClock, make_user: MakeUser):
    user = await make_user(tier="payg")
    clock.set(datetime(2026, 10, 20, tzinfo=UTC))
    await earn_credit(core, clock, user, "bea")
    await earn_credit(core, clock, user, "cal")
    await use(core, clock, user, Meter.IMAGE, 700)  # 7.00: all of bea's 5.00, 2.00 of cal's
    clock.set(datetime(2026, 12, 1, 0, 0, 1, tzinfo=UTC))

    closed = await close(core, user)

    async with core.db.read() as session:
        rows = {r.referred_id: (r.status, r.applied_minor) for r in
                await session.scalars(select(Referral))}
    assert closed.total_minor == 0
    assert sorted(rows.values()) == [(EARNED, 200), (PAID, 500)]
