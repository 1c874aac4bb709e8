"""Purging a referred person's account (core.privacy.purge) keeps what their payment
earned the referrer: the credit still comes off the referrer's bills and still counts
in their stats. A referral that earned nothing goes with the person, and a row that
names nobody on either side any more goes too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.billing.payg.bill import Bills
from core.billing.tiers import Meter
from core.bootstrap import Core
from core.db.models import User
from core.privacy.deletion import AccountDeletions
from core.privacy.purge import purge_due
from core.referrals import ledger
from core.referrals.models import EARNED, PENDING, Referral
from core.referrals.service import ALREADY, ATTRIBUTED, Referrals
from tests.core.referrals.conftest import (
    MakeUser,
    alice_referring,
    code_of,
    pays_by_stars,
    sign_up_through,
)
from tests.fakes.clock import FakeClock

Row = tuple[int | None, int | None, str, int, int, str | None]


async def rows(core: Core) -> list[Row]:
    """(referred, referrer, status, amount, applied, earned_ref) of every referral."""
    async with core.db.read() as session:
        found = await session.scalars(select(Referral).order_by(Referral.id))
        return [(r.referred_id, r.referrer_id, r.status, r.amount_minor, r.applied_minor,
                 r.earned_ref) for r in found]


async def purge(core: Core, clock: FakeClock, *people: User) -> None:
    """Each of `people` deletes their account; the grace period passes; the daily purge."""
    deletions = AccountDeletions(core)
    for person in people:
        async with core.db.session() as session:
            fresh = await session.get(User, person.id)
            assert fresh is not None
            deletion = await deletions.request(session, fresh, "telegram")
        await deletions.finish(deletion)
    clock.advance(timedelta(days=core.settings.privacy.deletion_grace_days))
    assert await purge_due(core) == len(people)


async def test_credit_earned_by_people_since_purged_comes_off_the_referrers_next_bill(
        core: Core, clock: FakeClock, referrals: Referrals, make_user: MakeUser):
    alice, (bea, cal) = await alice_referring(core, referrals, make_user, "bea", "cal")
    await pays_by_stars(core, bea, "charge-bea")
    await pays_by_stars(core, cal, "charge-cal")

    await purge(core, clock, bea, cal)

    assert await rows(core) == [(None, alice.id, EARNED, 500, 0, None)] * 2
    async with core.db.session() as session:
        me = await session.get(User, alice.id)
        assert me is not None
        summary = await referrals.summary(session, me)
        me.tier = "payg"
        clock.set(datetime(2026, 12, 28, tzinfo=UTC))
        await core.billing.consume(session, me, Meter.IMAGE, "images", 300)  # 3.00
    assert (summary.signed_up, summary.paying) == (2, 2)
    assert (summary.credit_earned_minor, summary.credit_left_minor) == (1000, 1000)
    bills = Bills(core.settings, core.clock)
    async with core.db.read() as session:
        shown = await bills.bill(session, alice.id, "2026-12")
    clock.set(datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC))
    async with core.db.session() as session:
        closed = await bills.close(session, alice.id, "2026-12")
        left = await ledger.available(session, alice.id, core.settings.billing.currency)

    assert (shown.credit_minor, shown.total_minor) == (300, 0)
    assert (closed.credit_minor, closed.total_minor) == (300, 0)
    assert left == 700
    assert sorted(r[4] for r in await rows(core)) == [0, 300]


async def test_a_pending_referral_goes_with_the_purged_person(
        core: Core, clock: FakeClock, referrals: Referrals, make_user: MakeUser):
    alice, (bea, cal) = await alice_referring(core, referrals, make_user, "bea", "cal")

    await purge(core, clock, bea)

    assert await rows(core) == [(cal.id, alice.id, PENDING, 500, 0, None)]
    async with core.db.session() as session:
        summary = await referrals.summary(session, alice)
    assert (summary.signed_up, summary.paying, summary.credit_left_minor) == (1, 0, 0)


async def test_a_referral_left_naming_nobody_goes_with_whoever_goes_second(
        core: Core, clock: FakeClock, referrals: Referrals, make_user: MakeUser):
    alice, dan = await make_user("alice"), await make_user("dan")
    bea, _ = await sign_up_through(core, referrals, await code_of(core, referrals, alice),
                                   "bea")
    cal, _ = await sign_up_through(core, referrals, await code_of(core, referrals, dan),
                                   "cal")
    for person in (bea, cal):
        await pays_by_stars(core, person, f"charge-{person.id}")

    await purge(core, clock, bea, dan)  # one row loses its referred, one its referrer
    assert await rows(core) == [(None, alice.id, EARNED, 500, 0, None),
                                (cal.id, None, EARNED, 500, 0, f"stars:charge-{cal.id}")]
    await purge(core, clock, alice, cal)

    assert await rows(core) == []


async def test_someone_new_can_still_be_referred_after_a_purge(
        core: Core, clock: FakeClock, referrals: Referrals, make_user: MakeUser):
    alice = await make_user("alice")
    code = await code_of(core, referrals, alice)
    bea, _ = await sign_up_through(core, referrals, code, "bea")
    await pays_by_stars(core, bea, "charge-bea")
    await purge(core, clock, bea)

    eve, done = await sign_up_through(core, referrals, code, "eve")
    async with core.db.session() as session:  # a race's second attribution of her
        again = await referrals.attribute(session, eve, code, via="web", new_user=True)

    assert (done.result, again.result) == (ATTRIBUTED, ALREADY)
    assert [r[:3] for r in await rows(core)] == [(None, alice.id, EARNED),
                                                 (eve.id, alice.id, PENDING)]
