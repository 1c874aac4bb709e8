"""/deleteaccount with a card plan that still renews: the question says it is cancelled
for them; confirming cancels it at Stripe, and when Stripe cannot, the reply says to
cancel it in Stripe's portal (the account is deleted all the same)."""

from __future__ import annotations

import pytest

from core.texts import privacy as t
from tests.core.privacy.conftest import pays_by_card
from tests.fakes.creators import chatting_creator
from tests.fakes.stripe import stripe_section


@pytest.fixture
def settings(make_settings, database_url, fake_reddit, fake_stripe):
    return make_settings(database_url, reddit=fake_reddit.settings_section(),
                         billing={"tiers": {"pro": {"stripe_price": "price_pro"}}},
                         stripe=stripe_section(fake_stripe))


@pytest.fixture
async def card_plan(chat, core, fake_reddit, fake_stripe):
    user, _ = await chatting_creator(chat, core, fake_reddit)
    return user, await pays_by_card(core, fake_stripe, user.id)


async def test_confirming_cancels_the_card_plan_at_stripe(chat, card_plan, fake_stripe):
    _, sub_id = card_plan
    assert (await chat.send("/deleteaccount")).text.endswith(t.PAID_PLAN_NOTE)
    reply = await chat.press(t.DELETE_CONFIRM)
    assert reply.text == t.DELETE_DONE.format(date="25 December 2026")
    assert fake_stripe.cancellations == [sub_id]
    assert fake_stripe.subscriptions[sub_id]["status"] == "canceled"


async def test_stripe_down_deletes_anyway_and_asks_them_to_cancel(chat, core, card_plan,
                                                                  fake_stripe):
    user, _ = card_plan
    fake_stripe.fail_cancellations = True
    await chat.send("/deleteaccount")
    reply = await chat.press(t.DELETE_CONFIRM)
    assert reply.text == "\n\n".join([t.DELETE_DONE.format(date="25 December 2026"),
                                      t.PLAN_CANCEL_FAILED])
    async with core.db.read() as session:
        assert await core.users.get(session, user.id) is None
