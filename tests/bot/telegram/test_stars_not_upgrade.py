"""Stars invoice links never expire, so one opened before an upgrade can still be paid:
the pre-checkout refuses a plan no better than the payer's own, kindly, and a payment
that still comes for one is given back, not granted. A renewal of the payer's own
plan is kept. Through the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.bootstrap import Core
from core.texts import billing as t
from tests.bot.telegram.test_stars_telegram import (  # noqa: F401 (fixtures)
    answers,
    said,
    settings,
    stars_bot,
    tier_of,
)
from tests.fakes.clock import FakeClock
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.usefixtures("stars_bot")  # the adapter, polling the fake


async def invoices(fake: FakeTelegram) -> dict[str, str]:
    """/upgrade while on Free, then both Stars buttons: tier -> invoice link."""
    await fake.send_text("/upgrade")
    [upgrade] = await fake.wait_for("sendMessage")
    rows = upgrade.params["reply_markup"]["inline_keyboard"]
    links = {}
    for n, tier in enumerate(("Starter", "Pro"), start=2):
        button = next(b for row in rows for b in row if b["text"] == f"⭐ {tier} with Stars")
        await fake.press(upgrade.result, button["callback_data"])
        offer = (await fake.wait_for("sendMessage", n))[n - 1]
        links[tier.lower()] = str(offer.params["reply_markup"]["inline_keyboard"][0][0]["url"])
    return links


async def on_pro(fake: FakeTelegram, clock: FakeClock) -> dict[str, str]:
    links = await invoices(fake)
    await fake.pay(links["pro"], "charge-1",
                   expires=int((clock.now() + timedelta(days=30)).timestamp()))
    assert "Thank you!" in await said(fake, 4)
    return links


async def test_pre_checkout_of_a_lower_plan_is_refused_kindly(
        fake_telegram: FakeTelegram, clock: FakeClock) -> None:
    links = await on_pro(fake_telegram, clock)
    await fake_telegram.pre_checkout(links["starter"])
    [answer] = await answers(fake_telegram, 1)
    assert answer["ok"] in (False, "false", "False")
    assert answer["error_message"] == t.STARS_REFUSED["not_upgrade"]


async def test_pre_checkout_of_the_plan_already_had_is_refused(
        fake_telegram: FakeTelegram, clock: FakeClock) -> None:
    links = await on_pro(fake_telegram, clock)
    await fake_telegram.pre_checkout(links["pro"])
    [answer] = await answers(fake_telegram, 1)
    assert answer["ok"] in (False, "false", "False")


async def test_a_payment_for_a_lower_plan_is_given_back(
        fake_telegram: FakeTelegram, core: Core, clock: FakeClock) -> None:
    links = await on_pro(fake_telegram, clock)
    await fake_telegram.pay(links["starter"], "charge-2")
    assert "given your ⭐ 450 back" in await said(fake_telegram, 5)
    [refund] = fake_telegram.calls_to("refundStarPayment")
    assert refund.params == {"user_id": "42", "telegram_payment_charge_id": "charge-2"}
    assert await tier_of(core) == "pro"


async def test_a_renewal_of_the_plan_had_is_kept(
        fake_telegram: FakeTelegram, core: Core, clock: FakeClock) -> None:
    links = await on_pro(fake_telegram, clock)
    clock.advance(timedelta(days=29, hours=23))  # charged just before the period ends
    renews = clock.now() + timedelta(days=30)
    await fake_telegram.renew(links["pro"], "charge-2", expires=int(renews.timestamp()))
    assert f"Pro plan until {renews:%d %B %Y}" in await said(fake_telegram, 5)
    assert fake_telegram.calls_to("refundStarPayment") == []
