"""Deleting the account on the web with a card plan that still renews: the page says it
is cancelled for them; Stripe cancelling it, or not answering (then the page asks them
to cancel it in Stripe's portal, and the account is deleted all the same)."""

from __future__ import annotations

import pytest

from core.texts import privacy as texts
from tests.core.privacy.conftest import pays_by_card
from tests.fakes.stripe import stripe_section
from tests.fakes.web_signin import csrf_token, page_text, sign_in


@pytest.fixture
def settings(make_settings, database_url, fake_reddit, fake_stripe):
    return make_settings(database_url, reddit=fake_reddit.settings_section(),
                         billing={"tiers": {"pro": {"stripe_price": "price_pro"}}},
                         stripe=stripe_section(fake_stripe))


async def _delete(web):
    token = await csrf_token(web, "/account/data")
    return await web.post("/account/delete", data={"csrf_token": token, "confirm": "DELETE"})


async def test_deleting_cancels_the_card_plan_at_stripe(web, core, fake_stripe):
    sub_id = await pays_by_card(core, fake_stripe, await sign_in(web, core))
    assert texts.PAID_PLAN_NOTE in await page_text(await web.get("/account/data"))
    resp = await _delete(web)
    assert resp.status == 200
    assert texts.PLAN_CANCEL_FAILED not in await page_text(resp)
    assert fake_stripe.cancellations == [sub_id]


async def test_stripe_down_deletes_anyway_and_asks_them_to_cancel(web, core, fake_stripe):
    user_id = await sign_in(web, core)
    await pays_by_card(core, fake_stripe, user_id)
    fake_stripe.fail_cancellations = True
    resp = await _delete(web)
    assert resp.status == 200
    assert texts.PLAN_CANCEL_FAILED in await page_text(resp)
    async with core.db.read() as session:
        assert await core.users.get(session, user_id) is None
