"""Deleting an account ends a card plan that still renews, at Stripe and at once (not at
period end), after the deletion is committed; Stripe not answering never stops the
deletion, and the person is told; a plan Stripe could not cancel stays pending on the
deletion and the daily purge run tries it again, until Stripe has or the purge comes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest

from core.bootstrap import Core
from core.db.models import User
from core.privacy.deletion import AccountDeletions, Deletion, Revocations
from core.privacy.models import AccountDeletion
from core.privacy.purge import purge_due
from core.settings import Settings
from tests.core.privacy.conftest import Creator, pays_by_card
from tests.fakes.reddit import FakeReddit
from tests.fakes.stripe import FakeStripe, stripe_section


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str,
             fake_reddit: FakeReddit, fake_stripe: FakeStripe) -> Settings:
    return make_settings(database_url, reddit=fake_reddit.settings_section(),
                         privacy={"deletion_grace_days": 30},
                         billing={"tiers": {"pro": {"stripe_price": "price_pro"}}},
                         stripe=stripe_section(fake_stripe))


@pytest.fixture
async def card_plan(core: Core, alice: Creator, fake_stripe: FakeStripe) -> str:
    """Alice pays for Pro by card: a live subscription at Stripe and an entitlement here."""
    return await pays_by_card(core, fake_stripe, alice.user.id)


async def _delete(core: Core, user_id: int) -> tuple[Deletion, Revocations]:
    deletions = AccountDeletions(core)
    async with core.db.session() as session:
        user = await core.users.get(session, user_id)
        assert user is not None
        deletion = await deletions.request(session, user, "console")
    return deletion, await deletions.finish(deletion)


async def test_deleting_cancels_the_renewing_card_plan_at_stripe_once(
        core: Core, alice: Creator, card_plan: str, fake_stripe: FakeStripe) -> None:
    deletion, result = await _delete(core, alice.user.id)
    assert deletion.subscriptions == (card_plan,)
    assert (result.plans_cancelled, result.plans_failed) == (1, 0)
    assert fake_stripe.cancellations == [card_plan]
    assert fake_stripe.subscriptions[card_plan]["status"] == "canceled"
    assert fake_stripe.events[-1]["type"] == "customer.subscription.deleted"


async def test_stripe_down_still_deletes_the_account_and_says_so(
        core: Core, alice: Creator, card_plan: str, fake_stripe: FakeStripe) -> None:
    fake_stripe.fail_cancellations = True
    _, result = await _delete(core, alice.user.id)
    assert (result.plans_cancelled, result.plans_failed) == (0, 1)
    assert fake_stripe.subscriptions[card_plan]["status"] == "active"
    async with core.db.read() as session:
        user = await session.get(User, alice.user.id)
        assert user is not None
        assert user.deleted_at == core.clock.now()
    assert (result.revoked, result.failed) == (1, 0)  # the rest of `finish` still ran


async def test_a_plan_stripe_has_already_ended_counts_as_cancelled(
        core: Core, alice: Creator, card_plan: str, fake_stripe: FakeStripe) -> None:
    fake_stripe.change(card_plan, status="canceled")  # in the portal; webhook not here yet
    _, result = await _delete(core, alice.user.id)
    assert (result.plans_cancelled, result.plans_failed) == (1, 0)


async def test_without_a_card_plan_stripe_is_not_called(
        core: Core, alice: Creator, fake_stripe: FakeStripe) -> None:
    deletion, result = await _delete(core, alice.user.id)
    assert deletion.subscriptions == ()
    assert (result.plans_cancelled, result.plans_failed) == (0, 0)
    assert fake_stripe.cancellations == []


async def _pending(core: Core, user_id: int) -> list[str]:
    async with core.db.read() as session:
        request = await session.get(AccountDeletion, user_id)
        assert request is not None
        return list(request.plans_pending)


async def test_a_plan_stripe_could_not_cancel_stays_pending_on_the_deletion(
        core: Core, alice: Creator, card_plan: str, fake_stripe: FakeStripe) -> None:
    fake_stripe.fail_cancellations = True
    await _delete(core, alice.user.id)
    assert await _pending(core, alice.user.id) == [card_plan]


async def test_a_plan_cancelled_at_once_is_not_pending(
        core: Core, alice: Creator, card_plan: str, fake_stripe: FakeStripe) -> None:
    await _delete(core, alice.user.id)
    assert await _pending(core, alice.user.id) == []
    await purge_due(core)
    assert fake_stripe.cancellations == [card_plan]  # not asked again


async def test_the_daily_run_cancels_a_pending_plan_once_stripe_answers(
        core: Core, alice: Creator, card_plan: str, fake_stripe: FakeStripe) -> None:
    fake_stripe.fail_cancellations = True
    await _delete(core, alice.user.id)
    fake_stripe.fail_cancellations = False  # Stripe is back by the next run
    core.clock.advance(timedelta(days=1))
    assert await purge_due(core) == 0  # within the grace period: only the plan is retried
    assert fake_stripe.subscriptions[card_plan]["status"] == "canceled"
    assert await _pending(core, alice.user.id) == []


async def test_a_plan_still_failing_when_its_account_is_purged_is_logged_for_the_team(
        core: Core, alice: Creator, card_plan: str, fake_stripe: FakeStripe,
        caplog: pytest.LogCaptureFixture) -> None:
    fake_stripe.fail_cancellations = True
    await _delete(core, alice.user.id)
    tries = len(fake_stripe.cancellations)
    core.clock.advance(timedelta(days=30))
    assert await purge_due(core) == 1  # the purge date holds
    assert len(fake_stripe.cancellations) > tries  # tried once more first
    assert any(card_plan in r.getMessage() and r.levelno == logging.ERROR
               for r in caplog.records)
