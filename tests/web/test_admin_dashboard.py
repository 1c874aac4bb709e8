"""/admin: every report for admins, drawn as inline SVG without any inline script;
signed-in creators who are not admins see a 404, anonymous visitors sign in."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from core.users import Who
from tests.fakes.web_signin import sign_in
from web.app import init_app

FOUNDER = Who("telegram", "7", display_name="Founder")


@pytest.fixture
async def site(make_settings, database_url, clock):
    settings = make_settings(database_url, admin={"telegram_ids": [7]})
    async with open_core(settings, clock=clock) as core, \
            TestClient(TestServer(init_app(core), host="127.0.0.1")) as client:
        yield core, client


async def test_anonymous_visitors_are_sent_to_sign_in(site):
    _, client = site
    assert (await client.get("/admin", allow_redirects=False)).status == 303


async def test_a_creator_who_is_not_an_admin_gets_a_404(site):
    core, client = site
    await sign_in(client, core, Who("telegram", "8", display_name="Bea"))
    assert (await client.get("/admin")).status == 404


async def test_the_admin_sees_every_report_as_svg_charts(site):
    core, client = site
    await sign_in(client, core, FOUNDER)
    resp = await client.get("/admin")
    page = await resp.text()
    assert resp.status == 200
    for heading in ("Active users", "Funnel", "Weekly retention", "Feature adoption",
                    "Revenue", "Errors"):
        assert f">{heading}" in page
    assert page.count("<svg") >= 2
    assert 'href="/admin/experiments"' in page


async def test_the_dashboard_has_no_inline_script(site):
    core, client = site
    await sign_in(client, core, FOUNDER)
    page = await (await client.get("/admin")).text()
    assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)


async def test_the_founder_counts_in_the_funnel_once_signed_up(site):
    core, client = site
    await sign_in(client, core, FOUNDER)
    page = await (await client.get("/admin")).text()
    assert "signup: 100%" in page


async def test_a_tracked_error_is_listed_with_its_count(site):
    core, client = site
    await sign_in(client, core, FOUNDER)
    for _ in range(3):
        try:
            raise KeyError("missing-thing")
        except KeyError as exc:
            await core.analytics.errors.capture(exc, "job", job="sweep")
    page = await (await client.get("/admin")).text()
    row = page[page.index("<code>KeyError</code>"):]
    assert re.search(r"<td>job</td><td>3</td>", row)
    assert "job=sweep" in row
