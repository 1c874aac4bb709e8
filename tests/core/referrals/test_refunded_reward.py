"""A refunded Telegram Stars payment takes back the referral reward it earned: the
referrer's free month ends, unused credit is withdrawn, and the referral is pending
again (the referred person's next real payment earns it). Refunds go through the real
provider and the fake Bot API's refundStarPayment."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from core.billing.providers.stars import StarsPayment, StarsProvider
from core.bootstrap import Core
from core.db.models import User
from core.referrals import ledger
from core.referrals.models import PENDING, Referral
from core.referrals.service import Referrals
from core.settings import Settings
from tests.core.referrals.conftest import MakeUser, alice_referring
from tests.fakes.telegram import FakeTelegram


def with_reward(make_settings: Callable[..., Settings], database_url: str,
                fake: FakeTelegram, **reward: object) -> Settings:
    return make_settings(database_url, telegram={
        "token": fake.token, "api_base_url": fake.base_url,
        "file_base_url": fake.file_base_url, "poll_timeout": 1},
        billing={"referrals": reward})


async def bob_pays_and_is_refunded(core: Core, bob: User) -> None:
    stars = StarsProvider(core.settings, core.db, core.clock, core.events,
                          core.billing.plans, core.secret_key)
    async with core.db.session() as session:
        payer = await session.get(User, bob.id)
        assert payer is not None
        await stars.paid(session, payer, StarsPayment(
            "ch-1", stars.payload(bob.id, "starter"), "XTR", 450, "2"))
    assert (await stars.refund("ch-1")).result == "refunded"


class TestFreeMonth:
    @pytest.fixture
    def settings(self, make_settings, database_url, fake_telegram) -> Settings:
        return with_reward(make_settings, database_url, fake_telegram,
                           reward="free_month", free_month_tier="pro")

    async def test_the_referrers_free_month_ends(
            self, core: Core, referrals: Referrals, make_user: MakeUser) -> None:
        alice, [bob] = await alice_referring(core, referrals, make_user, "bob")
        await bob_pays_and_is_refunded(core, bob)
        async with core.db.session() as session:
            referrer = await session.get(User, alice.id)
            assert referrer is not None
            assert (await core.billing.plan_of(session, referrer)).tier == "free"
            assert await session.scalar(select(Referral.status)) == PENDING


class TestCredit:
    @pytest.fixture
    def settings(self, make_settings, database_url, fake_telegram) -> Settings:
        return with_reward(make_settings, database_url, fake_telegram, reward="credit")

    async def test_unused_credit_is_withdrawn(
            self, core: Core, referrals: Referrals, make_user: MakeUser) -> None:
        alice, [bob] = await alice_referring(core, referrals, make_user, "bob")
        await bob_pays_and_is_refunded(core, bob)
        async with core.db.read() as session:
            left = await ledger.available(session, alice.id, core.settings.billing.currency)
            assert left == 0
            assert await session.scalar(select(Referral.status)) == PENDING
