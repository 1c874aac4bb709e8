"""/upgrade and /usage in chat, and the story of issue 14: a free creator hits a limit,
pays by card through the web companion (real stripe library, fake Stripe) and has the
new plan's limits as soon as Stripe's webhook is answered."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from core.settings import Settings
from tests.fakes.chat import ChatDriver
from tests.fakes.photos import camera_photo
from tests.fakes.stripe import FakeStripe, stripe_section

TIERS = {"free": {"images_per_day": 1},
         "starter": {"stripe_price": "price_starter"}, "pro": {"stripe_price": "price_pro"}}


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str,
             fake_stripe: FakeStripe) -> Settings:
    return make_settings(
        database_url, billing={"tiers": TIERS},
        stripe=stripe_section(fake_stripe))


async def protect_one(chat: ChatDriver) -> str:
    await chat.send("/protect")
    await chat.upload(camera_photo())
    return (await chat.press("Light")).text


async def test_usage_shows_todays_count_against_the_plan(chat: ChatDriver):
    await protect_one(chat)
    reply = await chat.send("/usage")
    assert "Today on the Free plan:" in reply.text
    assert "• Protected photos: 1 of 1" in reply.text
    assert "• Caption requests: 0 of 5" in reply.text


async def test_the_limit_prompt_names_the_limit_and_the_plan_that_lifts_it(chat: ChatDriver):
    await protect_one(chat)
    await chat.send("/protect")
    await chat.upload(camera_photo())
    reply = await chat.press("Light")
    assert "today's 1 protected photo on the Free plan" in reply.text
    assert "Starter gives you 30 protected photos a day" in reply.text
    assert "/upgrade" in reply.text


async def test_upgrade_lists_the_plans_with_a_card_link_for_each_better_one(
        chat: ChatDriver, settings: Settings):
    reply = await chat.send("/upgrade")
    assert "You're on the Free plan" in reply.text
    assert "• Pro (29 USD/month or ⭐ 1450): 500 captions" in reply.text
    assert [b.label for b in reply.buttons] == ["💳 Starter by card", "💳 Pro by card"]
    assert all(b.url and b.url.startswith(f"{settings.public_base_url}/billing/checkout/")
               for b in reply.buttons)


async def test_a_free_creator_pays_by_card_and_the_new_limits_apply(
        chat: ChatDriver, web, fake_stripe: FakeStripe):
    await protect_one(chat)
    upgrade = await chat.send("/upgrade")
    card = next(b for b in upgrade.buttons if b.label == "💳 Pro by card")

    opened = await web.get(urlsplit(card.url).path, allow_redirects=False)
    assert opened.status == 303
    paid = fake_stripe.complete_checkout(opened.headers["Location"].rsplit("/", 1)[-1])
    status, _ = await fake_stripe.deliver(paid["checkout"],
                                          str(web.make_url("/billing/stripe/webhook")))

    assert status == 200
    assert "• Protected photos: 1 of 200" in (await chat.send("/usage")).text
    assert "Hash match 100% →" in await protect_one(chat)  # the second photo of the day
    assert "🧾 Manage card billing" in [b.label for b in (await chat.send("/upgrade")).buttons]


def test_a_failed_renewal_notice_tells_the_creator_how_to_keep_the_plan():
    from core.billing.payments import DUNNING
    from core.texts.schedule import notice_text

    text = notice_text(DUNNING, {"tier": "pro", "subscription": "sub_1"})
    assert "payment for the Pro plan didn't go through" in text
    assert "Manage card billing" in text
