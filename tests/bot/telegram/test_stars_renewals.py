"""Stars subscriptions stop renewing when nothing is bought by them any more, and only
then: a Starter subscription a Pro one replaced stops (the month paid for runs out),
asked again on the daily run when Telegram refused; a renewal of the same plan stops
nothing; and an account restored after its deletion has its subscription renew again.
Through the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.billing.models import Entitlement
from core.bootstrap import Core
from core.privacy.purge import purge_due
from tests.bot.telegram.test_stars_deleted_account import delete_account
from tests.bot.telegram.test_stars_telegram import (  # noqa: F401 (fixtures)
    settings,
    stars_bot,
    tier_of,
)
from tests.fakes.clock import FakeClock
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.usefixtures("stars_bot")  # the adapter, polling the fake


async def sent(fake: FakeTelegram, more: int = 1) -> list:
    """Wait for `more` messages beyond those sent so far; all of them."""
    return await fake.wait_for("sendMessage", len(fake.calls_to("sendMessage")) + more)


async def subscribes(fake: FakeTelegram, clock: FakeClock, plan: str, charge: str) -> str:
    """/upgrade, "⭐ <plan> with Stars", pay: the invoice link (its payload renews)."""
    await fake.send_text("/upgrade")
    upgrade = (await sent(fake))[-1]
    rows = upgrade.params["reply_markup"]["inline_keyboard"]
    button = next(b for row in rows for b in row if b["text"] == f"⭐ {plan} with Stars")
    await fake.press(upgrade.result, button["callback_data"])
    [[pay]] = (await sent(fake))[-1].params["reply_markup"]["inline_keyboard"]
    expires = int((clock.now() + timedelta(days=30)).timestamp())
    await fake.pay(str(pay["url"]), charge, expires=expires)
    assert "Thank you!" in (await sent(fake))[-1].params["text"]
    return str(pay["url"])


async def renewal_of(core: Core, charge: str) -> str | None:
    async with core.db.read() as session:
        return await session.scalar(select(Entitlement.renewal).where(
            Entitlement.source_ref == charge))


async def test_buying_pro_stops_the_starter_subscription_renewing(
        fake_telegram: FakeTelegram, core: Core, clock: FakeClock) -> None:
    await subscribes(fake_telegram, clock, "Starter", "charge-starter")

    await subscribes(fake_telegram, clock, "Pro", "charge-pro")

    [stop] = fake_telegram.calls_to("editUserStarSubscription")
    assert stop.params["user_id"] == "42"
    assert fake_telegram.subscriptions_canceled == {"charge-starter": True}
    assert await renewal_of(core, "charge-starter") == "stopped"
    assert await tier_of(core) == "pro"


async def test_a_stop_telegram_refused_is_asked_again_on_the_daily_run(
        fake_telegram: FakeTelegram, core: Core, clock: FakeClock) -> None:
    await subscribes(fake_telegram, clock, "Starter", "charge-starter")
    fake_telegram.failures["editUserStarSubscription"] = [502]
    await subscribes(fake_telegram, clock, "Pro", "charge-pro")
    assert fake_telegram.subscriptions_canceled == {}

    await purge_due(core)

    assert fake_telegram.subscriptions_canceled == {"charge-starter": True}
    assert await renewal_of(core, "charge-starter") == "stopped"


async def test_a_renewal_of_the_same_plan_stops_nothing(
        fake_telegram: FakeTelegram, core: Core, clock: FakeClock) -> None:
    link = await subscribes(fake_telegram, clock, "Pro", "charge-1")
    clock.advance(timedelta(days=30))

    await fake_telegram.renew(link, "charge-2",
                              expires=int((clock.now() + timedelta(days=30)).timestamp()))

    assert "Thank you!" in (await sent(fake_telegram))[-1].params["text"]
    assert fake_telegram.calls_to("editUserStarSubscription") == []
    assert await renewal_of(core, "charge-1") is None


async def test_a_restored_account_has_its_stars_subscription_renew_again(
        fake_telegram: FakeTelegram, core: Core, clock: FakeClock) -> None:
    await subscribes(fake_telegram, clock, "Pro", "charge-1")
    await delete_account(core)
    assert fake_telegram.subscriptions_canceled == {"charge-1": True}

    await fake_telegram.send_text("/restore")

    assert "back" in (await sent(fake_telegram))[-1].params["text"].lower()
    assert fake_telegram.subscriptions_canceled == {"charge-1": False}
    assert await renewal_of(core, "charge-1") is None
