"""BillingService.consume: quota is checked and taken in one step, per user, meter and
local day; each action counts once by its idempotency key; refusals say what lifts them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from core.billing.errors import QuotaExceeded
from core.billing.models import UsageRecord
from core.billing.service import Consumed
from core.billing.tiers import Meter
from core.bootstrap import Core
from core.db.models import Event, User
from tests.core.billing.conftest import MakeUser
from tests.fakes.clock import FakeClock


async def consume(core: Core, user: User, key: str, meter: Meter = Meter.POST,
                  quantity: int = 1) -> Consumed:
    async with core.db.session() as session:
        return await core.billing.consume(session, user, meter, key, quantity)


async def records(core: Core, user: User) -> int:
    async with core.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(UsageRecord).where(
            UsageRecord.user_id == user.id)) or 0)


async def test_twenty_parallel_requests_against_a_limit_of_five_give_exactly_five(
        core: Core, make_user: MakeUser):
    user = await make_user()

    outcomes = await asyncio.gather(
        *(consume(core, user, f"post-{i}") for i in range(20)), return_exceptions=True)

    taken = [o for o in outcomes if isinstance(o, Consumed)]
    refused = [o for o in outcomes if isinstance(o, QuotaExceeded)]
    assert len(taken) == 5
    assert len(refused) == 15
    assert sorted(o.used for o in taken) == [1, 2, 3, 4, 5]
    assert await records(core, user) == 5


async def test_the_same_idempotency_key_is_counted_once(core: Core, make_user: MakeUser):
    user = await make_user()
    first = await consume(core, user, "post-job-7")
    again = await consume(core, user, "post-job-7")

    assert (first.used, first.duplicate) == (1, False)
    assert (again.used, again.duplicate) == (1, True)
    assert await records(core, user) == 1


async def test_a_retried_action_already_counted_passes_even_at_the_limit(
        core: Core, make_user: MakeUser):
    user = await make_user()
    for i in range(5):
        await consume(core, user, f"post-{i}")

    assert (await consume(core, user, "post-4")).duplicate
    with pytest.raises(QuotaExceeded):
        await consume(core, user, "post-5")


async def test_a_refusal_names_the_limit_and_the_tier_that_lifts_it(
        core: Core, make_user: MakeUser):
    user = await make_user()
    for i in range(5):
        await consume(core, user, f"post-{i}")

    async with core.db.session() as session:  # a front door catches it and answers
        with pytest.raises(QuotaExceeded) as caught:
            await core.billing.consume(session, user, Meter.POST, "post-5")

    assert caught.value.code == "post_quota"
    assert caught.value.params == {"meter": "post", "limit": 5, "tier": "free",
                                   "upgrade": "starter", "upgrade_limit": 20}
    async with core.db.session() as session:
        event = (await session.scalars(select(Event).where(
            Event.kind == "billing.quota_reached"))).one()
    assert event.data == {"meter": "post", "limit": 5, "tier": "free"}


async def test_a_refused_action_leaves_no_usage_record(core: Core, make_user: MakeUser):
    user = await make_user()
    await consume(core, user, "img-1", Meter.IMAGE)
    # the unit of work commits: a flow that answers the refusal and goes on
    async with core.db.session() as session:
        with pytest.raises(QuotaExceeded):
            await core.billing.consume(session, user, Meter.IMAGE, "img-2", quantity=2)

    assert await records(core, user) == 1
    assert (await consume(core, user, "img-2", Meter.IMAGE)).used == 2


async def test_meters_and_users_are_counted_apart(core: Core, make_user: MakeUser):
    alice, bob = await make_user("alice"), await make_user("bob")
    for i in range(5):
        await consume(core, alice, f"a-post-{i}")

    assert (await consume(core, alice, "a-img", Meter.IMAGE)).used == 1
    assert (await consume(core, bob, "b-post")).used == 1


async def test_an_unlimited_tier_counts_but_never_refuses(core: Core, make_user: MakeUser):
    user = await make_user(tier="premium")
    for i in range(12):
        done = await consume(core, user, f"post-{i}")

    assert (done.used, done.limit) == (12, None)


async def test_the_quota_refills_at_the_users_own_midnight(
        core: Core, make_user: MakeUser, clock: FakeClock):
    clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))  # 09:00 in New York
    user = await make_user(timezone="America/New_York")
    for i in range(5):
        await consume(core, user, f"day1-{i}")

    clock.set(datetime(2026, 11, 26, 4, 59, tzinfo=UTC))  # 23:59 in New York
    with pytest.raises(QuotaExceeded):
        await consume(core, user, "late")
    clock.set(datetime(2026, 11, 26, 5, 1, tzinfo=UTC))  # 00:01 in New York
    assert (await consume(core, user, "next-day")).used == 1


async def test_usage_reports_used_limit_and_left(core: Core, make_user: MakeUser):
    user = await make_user()
    for i in range(3):
        await consume(core, user, f"post-{i}")

    async with core.db.session() as session:
        usage = await core.billing.usage(session, user, Meter.POST)
    assert (usage.used, usage.limit, usage.left) == (3, 5, 2)
