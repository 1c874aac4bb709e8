"""/admin/experiments: the upgrade prompt experiment's report, for admins only."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest

from core.billing import grants
from core.bootstrap import Core
from core.db.models import User
from core.experiments.config import UPGRADE_PROMPT
from core.settings import Settings
from core.users import Who
from tests.fakes.web_signin import sign_in

ADMIN = Who("telegram", "7", display_name="Founder")


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str) -> Settings:
    return make_settings(database_url, admin={"telegram_ids": [7]})


async def _shown_and_paid(core: Core, name: str, pays: bool) -> str:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("console", name))
        variant = await core.billing.experiments.expose(session, user.id, UPGRADE_PROMPT)
    if pays:
        async with core.db.session() as session:
            fresh = await session.get(User, user.id)
            assert fresh is not None
            now = core.clock.now()
            await grants.grant(session, now, fresh, source="stripe", ref=f"sub_{name}",
                               tier="starter", status="active",
                               ends_at=now + timedelta(days=30))
    return variant


async def test_the_report_shows_each_variant_against_the_control(web, core):
    shown = [await _shown_and_paid(core, f"c{i}", pays=i % 2 == 0) for i in range(9)]
    await sign_in(web, core, ADMIN)
    resp = await web.get("/admin/experiments")
    html = await resp.text()
    assert resp.status == 200
    assert "<h2 id=\"exp-1\">upgrade_prompt" in html
    assert "control (control)</th>" in html
    for variant in ("gain", "momentum"):
        assert f"<th scope=\"row\">{variant}</th><td>1</td><td>{shown.count(variant)}</td>" in html
    assert "<th scope=\"col\">95% CI</th>" in html
    assert "<th scope=\"col\">p-value</th>" in html
    assert re.search(r"<td>[+-]\d+\.\d\d pp … [+-]\d+\.\d\d pp</td><td>\d\.\d{4}</td>", html)


async def test_the_report_is_a_404_for_a_creator(web, core):
    await sign_in(web, core, Who("telegram", "8", display_name="Bea"))
    assert (await web.get("/admin/experiments")).status == 404


async def test_anonymous_visitors_are_sent_to_sign_in(web):
    resp = await web.get("/admin/experiments", allow_redirects=False)
    assert resp.status == 303
