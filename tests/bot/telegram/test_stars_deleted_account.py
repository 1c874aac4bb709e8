"""A deleted account's Telegram Stars subscription: deleting the account stops it
renewing at Telegram (editUserStarSubscription), and a renewal that still comes for the
account once it is gone is given back (refundStarPayment), never kept for nothing.
Through the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.billing.models import Entitlement
from core.bootstrap import Core
from core.db.models import User
from core.privacy.deletion import AccountDeletions, Revocations
from core.privacy.purge import purge_due
from tests.bot.telegram.test_stars_telegram import (  # noqa: F401 (fixtures)
    answers,
    invoice_for_pro,
    said,
    settings,
    stars_bot,
)
from tests.fakes.clock import FakeClock
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.usefixtures("stars_bot")  # the adapter, polling the fake


async def pays_for_pro(fake: FakeTelegram, clock: FakeClock, charge: str = "charge-1") -> str:
    """Creator 42 subscribes to Pro in Stars; the invoice link (its payload renews)."""
    link = await invoice_for_pro(fake)
    expires = clock.now() + timedelta(days=30)
    await fake.pay(link, charge, expires=int(expires.timestamp()))
    assert "Thank you!" in await said(fake, 3)
    return link


async def delete_account(core: Core) -> Revocations:
    deletions = AccountDeletions(core)
    async with core.db.session() as session:
        [user] = list(await session.scalars(select(User)))
        deletion = await deletions.request(session, user, "telegram")
    return await deletions.finish(deletion)


async def test_deleting_the_account_stops_its_stars_subscription_renewing(
        fake_telegram: FakeTelegram, core: Core, clock: FakeClock) -> None:
    await pays_for_pro(fake_telegram, clock)

    result = await delete_account(core)

    [call] = fake_telegram.calls_to("editUserStarSubscription")
    assert call.params["user_id"] == "42"
    assert fake_telegram.subscriptions_canceled == {"charge-1": True}
    assert (result.stars_cancelled, result.stars_failed) == (1, 0)


async def test_a_renewal_for_a_purged_account_is_given_back(
        fake_telegram: FakeTelegram, core: Core, clock: FakeClock) -> None:
    link = await pays_for_pro(fake_telegram, clock)
    fake_telegram.failures["editUserStarSubscription"] = [502]  # it still renews
    await delete_account(core)
    clock.advance(timedelta(days=31))
    assert await purge_due(core) == 1
    await fake_telegram.send_text("/start", user_id=77)  # someone new (SQLite: the old id)
    await said(fake_telegram, 4)

    await fake_telegram.renew(link, "charge-2",
                              expires=int((clock.now() + timedelta(days=30)).timestamp()))

    assert "deleted" in await said(fake_telegram, 5)  # after the Bot API calls below
    [refund] = fake_telegram.calls_to("refundStarPayment")
    assert refund.params == {"user_id": "42", "telegram_payment_charge_id": "charge-2"}
    # the stop Telegram refused at the deletion was asked again by the purge run, and
    # the renewal's own charge was stopped when it was given back
    assert fake_telegram.subscriptions_canceled == {"charge-1": True, "charge-2": True}
    async with core.db.read() as session:
        assert list(await session.scalars(select(Entitlement.source_ref))) == []
        assert list(await session.scalars(select(User.tier))) == ["free", "free"]


async def test_a_renewal_while_the_deletion_is_pending_is_given_back(
        fake_telegram: FakeTelegram, core: Core, clock: FakeClock) -> None:
    link = await pays_for_pro(fake_telegram, clock)
    fake_telegram.failures["editUserStarSubscription"] = [502]  # it still renews
    await delete_account(core)
    clock.advance(timedelta(days=5))  # within the grace period

    await fake_telegram.renew(link, "charge-2",
                              expires=int((clock.now() + timedelta(days=30)).timestamp()))

    assert "deleted" in await said(fake_telegram, 4)
    [refund] = fake_telegram.calls_to("refundStarPayment")
    assert refund.params == {"user_id": "42", "telegram_payment_charge_id": "charge-2"}
    async with core.db.read() as session:
        assert list(await session.scalars(select(Entitlement.source_ref))) == ["charge-1"]


async def test_paying_while_the_deletion_is_pending_is_refused_at_the_checkout(
        fake_telegram: FakeTelegram, core: Core, clock: FakeClock) -> None:
    link = await invoice_for_pro(fake_telegram)
    await delete_account(core)

    await fake_telegram.pre_checkout(link)

    [answer] = await answers(fake_telegram, 1)
    assert answer["ok"] in (False, "false", "False")
    assert "scheduled for deletion" in answer["error_message"]
