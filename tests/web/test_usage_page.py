"""/usage on the web: the signed-in creator's day against each limit, the month's units
and, on pay-as-you-go, the bill so far; no inline script, sign-in first."""

from __future__ import annotations

import re

from sqlalchemy import update

from core.billing.tiers import Meter
from core.bootstrap import Core
from core.db.models import User
from tests.fakes.web_signin import sign_in


async def _use(core: Core, user_id: int, meter: Meter, key: str) -> None:
    async with core.db.session() as session:
        user = await session.get(User, user_id)
        assert user is not None
        await core.billing.consume(session, user, meter, key)


async def test_the_page_shows_today_against_each_limit_and_the_months_units(web, core):
    user_id = await sign_in(web, core)
    await _use(core, user_id, Meter.CAPTION, "caption-1")
    await _use(core, user_id, Meter.CAPTION, "caption-2")
    resp = await web.get("/usage")
    html = await resp.text()
    assert resp.status == 200
    assert "Today on the Free plan" in html
    assert re.search(r"Caption requests</span>\s*<span>2 of 5</span>", html)
    assert '<progress value="2" max="5" aria-labelledby="meter-1">' in html
    assert f"This month ({core.clock.now():%Y-%m}, UTC)" in html
    assert "Pay-as-you-go bill" not in html
    assert '<a href="/usage" aria-current="page">Usage</a>' in html  # in the menu


async def test_pay_as_you_go_shows_the_bill_so_far(web, core):
    user_id = await sign_in(web, core)
    async with core.db.session() as session:
        await session.execute(update(User).where(User.id == user_id).values(tier="payg"))
    for n in range(3):
        await _use(core, user_id, Meter.POST, f"post-{n}")
    html = await (await web.get("/usage")).text()
    assert "Pay-as-you-go bill so far" in html
    assert "Posts: 3 × 0.005" in html
    assert re.search(r"<strong>Total</strong><strong>0.02 USD</strong>", html)  # 0.015 ↑


async def test_the_page_has_no_inline_script(web, core):
    await sign_in(web, core)
    html = await (await web.get("/usage")).text()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.search(r"\son[a-z]+=", html) is None  # no inline event handlers either


async def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(web):
    resp = await web.get("/usage", allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"].startswith("/signin")
