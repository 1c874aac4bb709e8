"""History: the captions written for the creator and their posts, in their time zone."""

from datetime import timedelta

from core.captions import CaptionBrief
from core.posting.service import PostingService, TargetSpec
from core.reddit.client import Credentials
from core.reddit.types import PostRequest
from core.users import Who
from tests.fakes.web_signin import page_text, sign_in


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
