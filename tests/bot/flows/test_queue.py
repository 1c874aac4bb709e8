"""/queue through the chat driver: list (paged within the layout limits), post now,
reschedule, cancel; the posting engine with the real asyncpraw against the fake
Reddit and a fake clock (it starts Wed 25 Nov 2026, 12:00 UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.posting.service import PostingService, TargetSpec
from core.reddit.client import Credentials
from core.reddit.types import PostRequest
from core.texts import schedule as ts


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.fixture
async def alice(chat, core, fake_reddit):
    await chat.send("/start")
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        user.timezone = "Europe/London"
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        account = await core.reddit.accounts.save(session, user.id, "alice", creds,
                                                  auth_kind="token")
    return user, account


async def _queued(core, fake_reddit, alice, title, in_hours, sub="pics"):
    user, account = alice
    fake_reddit.add_sub(sub)
    request = PostRequest(sub, "text", title, body="hello")
    return await PostingService(core).create_job(
        user_id=user.id, account_id=account.id, request=request,
        targets=[TargetSpec(sub, title)], due_at=core.clock.now() + timedelta(hours=in_hours))


async def test_an_empty_queue_says_how_to_schedule(chat, alice):
    reply = await chat.send("/queue")
    assert reply.text == ts.QUEUE_CHAT_EMPTY


async def test_the_queue_lists_upcoming_posts_soonest_first(chat, core, fake_reddit, alice):
    await _queued(core, fake_reddit, alice, "Later", 5)
    await _queued(core, fake_reddit, alice, "Sooner", 2)
    reply = await chat.send("/queue")
    assert reply.text == ts.QUEUE_HEADER.format(n=2)
    assert [b.label for b in reply.buttons] == ["#2 Wed 25 Nov, 14:00 r/pics",
                                                "#1 Wed 25 Nov, 17:00 r/pics"]


async def test_a_long_queue_is_paged_within_the_layout_limits(chat, core, fake_reddit, alice):
    async with core.db.session() as session:  # a plan with room for a dozen posts a day
        (await core.users.get(session, alice[0].id)).tier = "pro"
    for n in range(12):
        await _queued(core, fake_reddit, alice, f"Post {n}", n + 1)
    await chat.send("/queue")
    jobs = await chat.every_page()
    assert len(jobs) == 12
    assert len({b.label for b in jobs}) == 12


@pytest.mark.both_backends
async def test_post_now_from_the_queue_posts_once_and_says_where(
        chat, core, fake_reddit, alice):
    await _queued(core, fake_reddit, alice, "Right away", 6)
    await chat.send("/queue")
    await chat.press("#1")
    reply = await chat.press("Post now")
    [post] = fake_reddit.posts
    assert reply.text == f"Live on r/pics: {fake_reddit.url}/r/pics/comments/{post.id}/"
    assert (await chat.send("/queue")).text == ts.QUEUE_CHAT_EMPTY


async def test_reschedule_moves_the_post_in_the_creators_zone(chat, core, fake_reddit, alice):
    user, _ = alice
    await _queued(core, fake_reddit, alice, "Move me", 6)
    await chat.send("/queue")
    await chat.press("#1")
    reply = await chat.press("Reschedule")
    assert "Europe/London" in reply.text
    refused = await chat.send("yesterday-ish")
    assert "tomorrow 9pm" in refused.text
    reply = await chat.send("tomorrow 9pm")
    assert reply.text == ts.RESCHEDULED.format(job=1, when="Thu 26 Nov, 21:00")
    [job] = await PostingService(core).list_jobs(user.id)
    assert job.due_at == datetime(2026, 11, 26, 21, 0, tzinfo=UTC)


async def test_cancel_removes_the_post_and_nothing_goes_out(
        chat, core, fake_reddit, alice, clock):
    user, _ = alice
    await _queued(core, fake_reddit, alice, "Never mind", 1)
    await chat.send("/queue")
    await chat.press("#1")
    reply = await chat.press("Cancel it")
    assert reply.text == ts.CANCELLED.format(job=1)
    clock.advance(timedelta(hours=2))
    assert await PostingService(core).run_due() == 0
    assert fake_reddit.posts == []
    assert await PostingService(core).list_jobs(user.id) == []


async def test_a_queue_button_of_a_cancelled_post_says_it_is_gone(
        chat, core, fake_reddit, alice):
    await _queued(core, fake_reddit, alice, "Gone soon", 1)
    await chat.send("/queue")
    await chat.press("#1")
    post_now = chat.button("Post now")
    await chat.press("Cancel it")
    reply = await chat.press_payload(post_now.payload)
    assert reply.text == ts.QUEUE_NOTHING_LEFT.format(job=1)
    assert fake_reddit.posts == []
