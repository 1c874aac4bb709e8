"""History: the captions written for the creator and their posts, in their time zone."""

import re
from datetime import timedelta

import pytest

from core.captions import CaptionBrief
from core.posting.service import PostingService, TargetSpec
from core.reddit.client import Credentials
from core.reddit.types import PostRequest
from core.users import Who
from tests.fakes.caption_history import seed_captions
from tests.fakes.web_signin import magic_link, page_text, sign_in


async def test_history_needs_sign_in(web):
    resp = await web.get("/history", allow_redirects=False)
    assert resp.status == 303


async def test_history_lists_captions_written_in_the_chat(web, core):
    await sign_in(web, core, Who("console", "alice", display_name="Alice"))
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        batch = await core.captions.generate(session, user, CaptionBrief(
            "red dress on a rooftop at sunset", subreddit="selfie"))
    page = await page_text(await web.get("/history"))
    assert batch.options[0].title in page
    assert "r/selfie" in page


async def test_history_lists_scheduled_and_past_posts(web, core, clock):
    user_id = await sign_in(web, core)
    async with core.db.session() as session:
        account = await core.reddit.accounts.save(
            session, user_id, "alice_posts", Credentials(kind="refresh", refresh_token="rt"),
            auth_kind="token")
    await PostingService(core).create_job(
        user_id=user_id, account_id=account.id,
        request=PostRequest(subreddit="selfie", kind="text", title="Sunday mood", body="hi"),
        targets=[TargetSpec("selfie", "Sunday mood")], due_at=clock.now() + timedelta(hours=3))
    page = await page_text(await web.get("/history"))
    assert "r/selfie: Sunday mood" in page
    assert "queued · 25 Nov 2026, 15:00" in page


async def test_an_empty_history_says_where_to_start(web, core):
    await sign_in(web, core)
    page = await page_text(await web.get("/history"))
    assert "No posts yet" in page
    assert "No captions yet" in page


BEFORE = re.compile(r'data-before="(\d+)"')


async def _before(resp) -> str | None:
    found = BEFORE.search(await resp.text())
    return found.group(1) if found else None


async def test_the_page_shows_the_newest_50_captions_and_offers_older_ones(web, core):
    user_id = await sign_in(web, core)
    await seed_captions(core, user_id, 51)
    page = await page_text(await web.get("/history"))
    assert "Caption 51<" in page
    assert "Caption 2<" in page
    assert "Caption 1<" not in page
    assert "Show older captions" in page


async def test_no_older_button_when_every_caption_is_shown(web, core):
    user_id = await sign_in(web, core)
    await seed_captions(core, user_id, 50)
    resp = await web.get("/history")
    page = await page_text(resp)
    assert "Caption 1<" in page
    assert "Show older captions" not in page
    assert await _before(resp) is None


@pytest.mark.both_backends
async def test_older_captions_come_50_at_a_time_until_the_oldest(web, core):
    user_id = await sign_in(web, core)
    await seed_captions(core, user_id, 120)
    before = await _before(await web.get("/history"))
    resp = await web.get(f"/history/captions?before={before}")
    assert resp.status == 200
    rows = await page_text(resp)
    assert "Caption 70<" in rows
    assert "Caption 21<" in rows
    assert "Caption 71<" not in rows
    assert "Caption 20<" not in rows
    assert "<html" not in rows  # a fragment, not a page
    last = await web.get(f"/history/captions?before={await _before(resp)}")
    rows = await page_text(last)
    assert "Caption 20<" in rows
    assert "Caption 1<" in rows
    assert await _before(last) is None


async def test_older_captions_are_only_the_signed_in_creators(web, core):
    bob_id = (await magic_link(core, Who("console", "bob", display_name="Bob")))[0]
    await seed_captions(core, bob_id, 3, label="Bob's")
    user_id = await sign_in(web, core)
    await seed_captions(core, user_id, 2)
    resp = await web.get("/history/captions?before=999999")
    rows = await page_text(resp)
    assert "Caption 2<" in rows
    assert "Caption 1<" in rows
    assert "Bob's" not in rows


async def test_older_captions_need_sign_in(web, core):
    resp = await web.get("/history/captions?before=10", allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"].startswith("/signin")


@pytest.mark.parametrize("before", ["", "abc", "0", "-3", "1.5", "99999999999999999999"])
async def test_a_bad_before_gets_a_friendly_400(web, core, before):
    await sign_in(web, core)
    resp = await web.get(f"/history/captions?before={before}")
    assert resp.status == 400
    assert "Reload History to start again" in await resp.text()
