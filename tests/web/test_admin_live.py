"""/admin/live: today's numbers for admins, refreshed over server-sent events. The stream
sends a well-formed `snapshot` event at once and then every `live_every_seconds` (on the
fake clock), and ends when the admin leaves and when the app shuts down."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.analytics.alerts import AlertChecker
from core.billing.models import Entitlement
from core.bootstrap import open_core
from core.db.models import Event
from core.events import EventKind as K
from core.users import Who
from tests.fakes.web_signin import sign_in
from web.admin.live import STREAMS_KEY
from web.app import init_app

FOUNDER = Who("telegram", "7", display_name="Founder")
STREAM = "/admin/live/stream"


@pytest.fixture
async def site(make_settings, database_url, clock):
    settings = make_settings(database_url, admin={"telegram_ids": [7]},
                             launch={"live_every_seconds": 5})
    async with open_core(settings, clock=clock) as core, \
            TestClient(TestServer(init_app(core), host="127.0.0.1")) as client:
        core.analytics.load = lambda: 0.75
        yield core, client


async def seed_today(core) -> None:
    """Today: the founder and two creators sign up; 2 captions, 1 post, 1 error; one
    creator pays for Pro. Yesterday's events count nowhere."""
    now = core.clock.now()
    async with core.db.session() as session:
        bea, _ = await core.users.get_or_create(session, Who("telegram", "100"))
        await core.users.get_or_create(session, Who("discord", "101"))
        yesterday = now - timedelta(days=1)
        for kind, when in [(K.CAPTION_GENERATED, now), (K.CAPTION_GENERATED, now),
                           (K.CAPTION_GENERATED, yesterday), (K.SIGNUP, yesterday),
                           (K.POSTED, now), (K.ERROR, now)]:
            session.add(Event(user_id=bea.id, kind=kind, data={}, created_at=when))
        session.add(Entitlement(user_id=bea.id, source="stripe", source_ref="sub_1",
                                tier="pro", status="active", starts_at=now, ends_at=None,
                                data={}, updated_at=now))


async def next_event(resp) -> tuple[str, dict]:
    """The next complete event (name, JSON data); `retry:`-only blocks are skipped."""
    async with asyncio.timeout(60):
        while True:
            fields: dict[str, str] = {}
            while (line := (await resp.content.readline()).decode()) not in ("\n", ""):
                name, _, value = line.rstrip("\n").partition(": ")
                fields[name] = value
            if line == "" and not fields:
                raise EOFError("the stream ended")
            if "event" in fields:
                return fields["event"], json.loads(fields["data"])


async def wait_until(condition, clock=None, within: float = 60.0) -> None:
    async with asyncio.timeout(within):
        while not condition():
            if clock is not None:
                clock.advance(timedelta(seconds=5))
            await asyncio.sleep(0.02)


async def test_anonymous_visitors_are_sent_to_sign_in(site):
    _, client = site
    assert (await client.get("/admin/live", allow_redirects=False)).status == 303
    assert (await client.get(STREAM, allow_redirects=False)).status == 303


async def test_a_creator_who_is_not_an_admin_gets_a_404(site):
    core, client = site
    await sign_in(client, core, Who("telegram", "8", display_name="Bea"))
    assert (await client.get("/admin/live")).status == 404
    assert (await client.get(STREAM)).status == 404


@pytest.mark.both_backends  # the snapshot's SQL runs on PostgreSQL too
async def test_the_first_event_carries_today_s_numbers(site):
    core, client = site
    await sign_in(client, core, FOUNDER)
    await seed_today(core)
    resp = await client.get(STREAM)
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("text/event-stream")
    assert resp.headers["Cache-Control"] == "no-store"
    name, data = await next_event(resp)
    assert name == "snapshot"
    assert {k: data[k] for k in ("signups", "active", "captions", "posts", "errors", "mrr",
                                 "paying", "load", "queue")} == {
        "signups": 3, "active": 3, "captions": 2, "posts": 1, "errors": 1, "mrr": 29.0,
        "paying": 1, "load": 0.75, "queue": 0}
    assert data["at"] == core.clock.now().isoformat()
    assert data["alerts"] == []
    resp.close()


async def test_the_next_event_follows_the_interval_with_fresh_numbers(site, clock):
    core, client = site
    await sign_in(client, core, FOUNDER)
    resp = await client.get(STREAM)
    _, first = await next_event(resp)
    async with core.db.session() as session:
        session.add(Event(user_id=None, kind=K.CAPTION_GENERATED, data={},
                          created_at=clock.now()))
    clock.advance(timedelta(seconds=5))
    name, second = await next_event(resp)
    assert name == "snapshot"
    assert (first["captions"], second["captions"]) == (0, 1)
    assert second["at"] == clock.now().isoformat()
    resp.close()


async def test_open_alerts_are_listed(site):
    core, client = site
    await sign_in(client, core, FOUNDER)
    await AlertChecker(core, load=lambda: 9.0).check()
    resp = await client.get(STREAM)
    assert (await next_event(resp))[1]["alerts"] == ["load"]
    resp.close()
    page = await (await client.get("/admin/live")).text()
    assert re.search(r'data-key="alerts">load<', page)


async def test_a_failing_reading_ends_the_stream_and_is_recorded(site, clock):
    core, client = site
    await sign_in(client, core, FOUNDER)
    readings = [0.5]

    def load() -> float:  # the first reading works, the second fails
        if not readings:
            raise OSError("no load average")
        return readings.pop()

    core.analytics.load = load
    resp = await client.get(STREAM)
    await next_event(resp)
    clock.advance(timedelta(seconds=5))
    with pytest.raises(EOFError):
        await next_event(resp)
    board = await core.analytics.dashboard()
    assert [(e.error_type, e.context["route"]) for e in board.errors] == [
        ("OSError", STREAM)]


async def test_the_stream_stops_when_the_admin_leaves(site, clock):
    core, client = site
    await sign_in(client, core, FOUNDER)
    streams = client.app[STREAMS_KEY]
    resp = await client.get(STREAM)
    await next_event(resp)
    assert streams.open == 1
    resp.close()
    await wait_until(lambda: streams.open == 0, clock)  # its next write finds no one


async def test_the_stream_ends_cleanly_when_the_app_shuts_down(site):
    core, client = site
    await sign_in(client, core, FOUNDER)
    resp = await client.get(STREAM)
    await next_event(resp)
    await client.app.shutdown()
    assert (await next_event(resp))[0] == "bye"
    with pytest.raises(EOFError):
        await next_event(resp)
    assert client.app[STREAMS_KEY].open == 0


async def test_a_stream_is_not_timed_as_a_slow_request(site, clock):
    core, client = site
    await sign_in(client, core, FOUNDER)
    resp = await client.get(STREAM)
    await next_event(resp)
    resp.close()
    await wait_until(lambda: client.app[STREAMS_KEY].open == 0, clock)
    body, _ = core.analytics.metrics.render()
    assert b'route="/admin/live/stream"' not in body


async def test_the_page_shows_the_numbers_and_loads_its_script_from_a_file(site):
    core, client = site
    await sign_in(client, core, FOUNDER)
    await seed_today(core)
    resp = await client.get("/admin/live")
    page = await resp.text()
    assert resp.status == 200
    assert 'data-stream="/admin/live/stream"' in page
    assert re.search(r'data-key="captions">2<', page)
    assert re.search(r'data-key="mrr" data-format="money">\$29\.00<', page)
    assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    [script] = re.findall(r'<script src="(/static/live\.[0-9a-f]+\.js)"', page)
    served = await client.get(script)
    assert served.status == 200
    assert "EventSource" in await served.text()
