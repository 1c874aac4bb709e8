"""The queue page: the chat's scheduled posts, cancelled or moved from the web."""

from datetime import timedelta

import pytest

from core.posting.service import PostingService, TargetSpec
from core.reddit.client import Credentials
from core.reddit.types import PostRequest
from core.users import Who
from tests.fakes.web_signin import csrf_token, page_text, sign_in


@pytest.fixture
async def scheduled(web, core, clock):
    """Alice, signed in, with a text post to r/selfie due tomorrow at 12:00 UTC."""
    user_id = await sign_in(web, core)
    async with core.db.session() as session:
        user = await core.users.get(session, user_id)
        user.timezone = "Europe/Berlin"
        account = await core.reddit.accounts.save(
            session, user_id, "alice_posts", Credentials(kind="refresh", refresh_token="rt"),
            auth_kind="token")
    view = await PostingService(core).create_job(
        user_id=user_id, account_id=account.id,
        request=PostRequest(subreddit="selfie", kind="text", title="Sunday mood", body="hi"),
        targets=[TargetSpec("selfie", "Sunday mood")], due_at=clock.now() + timedelta(days=1))
    return user_id, view.id, await csrf_token(web, "/queue")


async def test_the_queue_needs_sign_in(web):
    resp = await web.get("/queue", allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"] == "/signin?next=/queue"


@pytest.mark.both_backends
async def test_the_queue_lists_posts_in_the_creators_time_zone(web, scheduled):
    page = await page_text(await web.get("/queue"))
    assert "r/selfie: Sunday mood" in page
    assert "Thu 26 Nov, 13:00" in page  # 12:00 UTC is 13:00 in Berlin
    assert 'value="2026-11-26T13:00"' in page


async def test_cancel_cancels_it_for_the_chat_too(web, core, scheduled):
    user_id, job_id, token = scheduled
    resp = await web.post(f"/queue/{job_id}/cancel", data={"csrf_token": token})
    assert resp.status == 200
    assert "Cancelled." in await page_text(resp)
    assert await PostingService(core).list_jobs(user_id) == []


async def test_reschedule_takes_the_date_picker_in_local_time(web, core, clock, scheduled):
    user_id, job_id, token = scheduled
    resp = await web.post(f"/queue/{job_id}/reschedule",
                          data={"csrf_token": token, "when": "2026-11-27T20:30"})
    assert resp.status == 200
    assert "Moved." in await page_text(resp)
    [view] = await PostingService(core).list_jobs(user_id)
    assert view.due_at.isoformat() == "2026-11-27T19:30:00+00:00"


async def test_reschedule_understands_the_chats_words(web, core, scheduled):
    user_id, job_id, token = scheduled
    await web.post(f"/queue/{job_id}/reschedule",
                   data={"csrf_token": token, "when": "tomorrow 9pm"})
    [view] = await PostingService(core).list_jobs(user_id)
    assert view.due_at.isoformat() == "2026-11-26T20:00:00+00:00"


async def test_a_past_time_is_explained_and_nothing_moves(web, core, scheduled):
    user_id, job_id, token = scheduled
    resp = await web.post(f"/queue/{job_id}/reschedule",
                          data={"csrf_token": token, "when": "2026-11-01T10:00"})
    assert resp.status == 422
    assert "That time has passed" in await page_text(resp)
    [view] = await PostingService(core).list_jobs(user_id)
    assert view.due_at.isoformat() == "2026-11-26T12:00:00+00:00"


async def test_queue_changes_need_the_form_token(web, core, scheduled):
    user_id, job_id, _ = scheduled
    resp = await web.post(f"/queue/{job_id}/cancel", data={"csrf_token": "nope"})
    assert resp.status == 403
    assert len(await PostingService(core).list_jobs(user_id)) == 1


async def test_someone_elses_post_cannot_be_cancelled(web, core, scheduled):
    user_id, job_id, _ = scheduled
    await web.post("/signout", data={"csrf_token": await csrf_token(web)})
    await sign_in(web, core, Who("telegram", "777", username="mallory"))
    resp = await web.post(f"/queue/{job_id}/cancel",
                          data={"csrf_token": await csrf_token(web, "/queue")})
    assert resp.status == 200  # back on their own (empty) queue
    assert len(await PostingService(core).list_jobs(user_id)) == 1
