"""Paying with Telegram Stars, through the real python-telegram-bot against the fake
Bot API: the invoice, the pre-checkout answer, the payment that grants the plan (once,
however often Telegram delivers it) and the refund that ends it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.conversation.dispatcher import Dispatcher
from bot.telegram.adapter import TelegramAdapter
from bot.telegram.payments import install
from core.billing.models import Entitlement, ProcessedEvent
from core.billing.payments import Payments
from core.billing.providers.stars import StarsProvider
from core.bootstrap import Core
from core.db.models import User
from core.experiments.config import UPGRADE_PROMPT
from core.experiments.models import ExperimentExposure
from core.settings import Settings
from tests.fakes.telegram import FakeTelegram

PRO_STARS = 1450  # the default Pro price in Stars


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str,
             fake_telegram: FakeTelegram) -> Settings:
    return make_settings(database_url, telegram={
        "token": fake_telegram.token, "api_base_url": fake_telegram.base_url,
        "file_base_url": fake_telegram.file_base_url, "poll_timeout": 1})


@pytest.fixture
async def stars_bot(settings: Settings, dispatcher: Dispatcher
                    ) -> AsyncIterator[TelegramAdapter]:
    """The adapter wired as `serve` wires it (bot.runner._telegram), polling."""
    adapter = TelegramAdapter(settings.telegram, dispatcher)
    install(adapter.application, dispatcher)
    async with adapter.polling():
        yield adapter


async def said(fake: FakeTelegram, count: int) -> str:
    """The text of the bot's `count`-th message."""
    return str((await fake.wait_for("sendMessage", count))[count - 1].params["text"])


async def invoice_for_pro(fake: FakeTelegram, user_id: int = 42) -> str:
    """/upgrade, then "⭐ Pro with Stars": the invoice link the bot offers."""
    await fake.send_text("/upgrade", user_id=user_id)
    [upgrade] = await fake.wait_for("sendMessage")
    rows = upgrade.params["reply_markup"]["inline_keyboard"]
    pro = next(b for row in rows for b in row if b["text"] == "⭐ Pro with Stars")
    await fake.press(upgrade.result, pro["callback_data"], user_id=user_id)
    offer = (await fake.wait_for("sendMessage", 2))[1]
    [[pay]] = offer.params["reply_markup"]["inline_keyboard"]
    assert pay["text"] == f"⭐ Pay {PRO_STARS} Stars"
    return str(pay["url"])


async def tier_of(core: Core, external_id: str = "42") -> str:
    async with core.db.read() as session:
        tiers = list(await session.scalars(select(User.tier)))
    assert len(tiers) == 1, external_id
    return tiers[0]


async def answers(fake: FakeTelegram, count: int) -> list[dict[str, Any]]:
    return [c.params for c in await fake.wait_for("answerPreCheckoutQuery", count)]


async def test_the_invoice_is_a_monthly_subscription_in_stars(fake_telegram, stars_bot):
    link = await invoice_for_pro(fake_telegram)
    [made] = fake_telegram.calls_to("createInvoiceLink")
    assert made.params["currency"] == "XTR"
    assert int(made.params["subscription_period"]) == 2592000
    assert fake_telegram.invoices[link]["amount"] == PRO_STARS
    assert len(made.params["payload"].encode()) <= 128  # the Bot API's limit


async def test_upgrade_outside_a_stars_chat_offers_no_stars(chat):
    reply = await chat.send("/upgrade")
    assert not any("Stars" in b.label for b in reply.buttons)


async def test_pre_checkout_of_our_invoice_is_accepted(fake_telegram, stars_bot):
    link = await invoice_for_pro(fake_telegram)
    query = await fake_telegram.pre_checkout(link)
    [answer] = await answers(fake_telegram, 1)
    assert answer["pre_checkout_query_id"] == query
    assert answer["ok"] in (True, "true", "True")


async def test_pre_checkout_of_a_forged_payload_is_refused_kindly(fake_telegram, stars_bot):
    link = await invoice_for_pro(fake_telegram)
    forged = fake_telegram.invoices[link]["payload"].replace(".pro.", ".premium.")
    await fake_telegram.pre_checkout(link, payload=forged)
    [answer] = await answers(fake_telegram, 1)
    assert answer["ok"] in (False, "false", "False")
    assert "/upgrade" in answer["error_message"]


async def test_pre_checkout_of_someone_elses_invoice_is_refused(fake_telegram, stars_bot):
    link = await invoice_for_pro(fake_telegram, user_id=42)
    await fake_telegram.send_text("/start", user_id=77)  # 77 is a creator too
    await fake_telegram.pre_checkout(link, user_id=77)
    [answer] = await answers(fake_telegram, 1)
    assert answer["ok"] in (False, "false", "False")


async def test_a_successful_payment_grants_pro_limits_until_the_period_ends(
        fake_telegram, stars_bot, core, clock):
    link = await invoice_for_pro(fake_telegram)
    renews = clock.now() + timedelta(days=30)
    await fake_telegram.pay(link, "charge-1", expires=int(renews.timestamp()))
    thanks = await said(fake_telegram, 3)
    assert f"Thank you! 🎉 You're on the Pro plan until {renews:%d %B %Y}" in thanks
    await fake_telegram.send_text("/usage")
    assert "• Protected photos: 0 of 200" in await said(fake_telegram, 4)
    assert await tier_of(core) == "pro"
    clock.advance(timedelta(days=31))  # not renewed: the plan lapses
    await fake_telegram.send_text("/usage")
    assert "Today on the Free plan" in await said(fake_telegram, 5)


async def test_a_redelivered_payment_grants_once(fake_telegram, stars_bot, core):
    link = await invoice_for_pro(fake_telegram)
    paid = await fake_telegram.pay(link, "charge-1")
    await fake_telegram.redeliver(paid)
    await fake_telegram.send_text("/usage")  # handled after both payment updates
    texts = [c.params["text"] for c in await fake_telegram.wait_for("sendMessage", 4)]
    assert "Today on the Pro plan" in texts[-1]
    assert sum("Thank you" in text for text in texts) == 1
    async with core.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Entitlement)) == 1
        assert await session.scalar(select(func.count()).select_from(ProcessedEvent)
                                    .where(ProcessedEvent.provider == "stars")) == 1


async def test_a_refund_gives_the_stars_back_and_ends_the_plan(fake_telegram, stars_bot,
                                                              core: Core):
    link = await invoice_for_pro(fake_telegram)
    await fake_telegram.pay(link, "charge-1")
    await fake_telegram.send_text("/usage")  # answered once the payment is committed
    assert "Today on the Pro plan" in await said(fake_telegram, 4)
    stars = StarsProvider(core.settings, core.db, core.clock, core.events,
                          core.billing.plans, core.secret_key)

    refund = await stars.refund("charge-1")

    [call] = fake_telegram.calls_to("refundStarPayment")
    assert call.params == {"user_id": "42", "telegram_payment_charge_id": "charge-1"}
    assert (refund.result, refund.tier) == ("refunded", "free")
    assert await tier_of(core) == "free"
    assert (await stars.refund("charge-1")).result == "already"
    assert len(fake_telegram.calls_to("refundStarPayment")) == 1


async def test_a_payment_redelivered_after_its_refund_grants_nothing(fake_telegram,
                                                                     stars_bot, core: Core):
    link = await invoice_for_pro(fake_telegram)
    paid = await fake_telegram.pay(link, "charge-1")
    await fake_telegram.send_text("/usage")
    assert "Today on the Pro plan" in await said(fake_telegram, 4)
    stars = Payments.of(core).stars
    assert stars is not None
    assert (await stars.refund("charge-1")).result == "refunded"

    await fake_telegram.redeliver(paid)
    await fake_telegram.send_text("/usage")

    assert "Today on the Free plan" in await said(fake_telegram, 5)
    texts = [c.params["text"] for c in fake_telegram.calls_to("sendMessage")]
    assert sum("Thank you" in text for text in texts) == 1
    assert await tier_of(core) == "free"


async def test_the_first_stars_payment_converts_the_upgrade_prompt_it_followed(
        fake_telegram, stars_bot, core: Core):
    link = await invoice_for_pro(fake_telegram)
    async with core.db.session() as session:
        user_id = int(await session.scalar(select(User.id)) or 0)
        variant = await core.billing.experiments.expose(session, user_id, UPGRADE_PROMPT)
    paid = await fake_telegram.pay(link, "charge-1")
    await fake_telegram.redeliver(paid)
    await fake_telegram.send_text("/usage")
    await said(fake_telegram, 4)
    async with core.db.read() as session:
        report = await core.billing.experiments.report(session, UPGRADE_PROMPT)
        ref = await session.scalar(select(ExperimentExposure.conversion_ref))
    assert report is not None
    assert {v.name: (v.exposures, v.conversions) for v in report.variants}[variant] == (1, 1)
    assert ref == "stars:charge-1"
