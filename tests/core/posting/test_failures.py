"""Rate limits, 5xx after the post was made, outages and refusals, on a fake clock."""

from __future__ import annotations

from datetime import timedelta

from core.posting.models import State
from tests.core.posting.conftest import notices, targets_of, text_job

LATER = timedelta(seconds=301)  # past the longest retry backoff (posting.retry_max_seconds)


async def test_ratelimit_pauses_the_accounts_queue_then_continues_in_order(
    core, posting, user, account, fake_reddit, subs, clock
):
    job = await text_job(posting, user, account, ("pics", "one"), ("cats", "two"),
                         ("dogs", "three"))
    fake_reddit.ratelimit_next_submit(minutes=5)
    await posting.run_due()
    assert fake_reddit.posts == []
    clock.advance(timedelta(minutes=4))
    assert await posting.run_due() == 0  # the whole account waits, not just that post
    clock.advance(timedelta(minutes=1, seconds=1))
    while await posting.run_due():
        pass
    assert [p.title for p in fake_reddit.posts] == ["one", "two", "three"]
    assert {t.state for t in await targets_of(core, job.id)} == {State.POSTED}
    paused = [n for n in await notices(core) if n.kind == "post_paused"]
    assert len(paused) == 1
    assert paused[0].payload["minutes"] == 5


async def test_a_5xx_after_reddit_made_the_post_is_recorded_as_live_once(
    core, posting, user, account, fake_reddit, subs
):
    fake_reddit.lose_reply.add("submit")
    job = await text_job(posting, user, account, ("pics", "Lost answer"))
    view = await posting.run_job(user.id, job.id)
    [post] = fake_reddit.posts
    assert view.targets[0].state == State.POSTED
    assert view.targets[0].permalink.endswith(f"/comments/{post.id}/")
    assert fake_reddit.requests["submit"] == 1


async def test_a_5xx_after_the_post_while_reddit_cant_be_asked_waits_then_finds_it(
    core, posting, user, account, fake_reddit, subs, clock
):
    fake_reddit.lose_reply.add("submit")
    fake_reddit.outage.update({"me"})  # the lookup can't run either: outcome unknown
    job = await text_job(posting, user, account, ("pics", "Unknown outcome"))
    await posting.run_due()
    [target] = await targets_of(core, job.id)
    assert target.state == State.QUEUED
    assert target.attempted_at is not None
    assert len(fake_reddit.posts) == 1
    fake_reddit.lose_reply.clear()
    fake_reddit.outage.clear()
    clock.advance(LATER)
    await posting.run_due()
    [target] = await targets_of(core, job.id)
    assert target.state == State.POSTED
    assert target.reddit_id == fake_reddit.posts[0].id
    assert fake_reddit.requests["submit"] == 1  # looked, never posted again


async def test_an_outage_keeps_the_post_queued_says_so_once_and_it_goes_out_by_itself(
    core, posting, user, account, fake_reddit, subs, clock
):
    fake_reddit.outage.add("submit")
    job = await text_job(posting, user, account, ("pics", "Patience"))
    for _ in range(3):
        await posting.run_due()
        clock.advance(LATER)
    [target] = await targets_of(core, job.id)
    assert target.state == State.QUEUED
    waiting = [n for n in await notices(core) if n.kind == "post_waiting"]
    assert len(waiting) == 1
    fake_reddit.outage.clear()
    await posting.run_due()
    [target] = await targets_of(core, job.id)
    assert target.state == State.POSTED
    assert [p.title for p in fake_reddit.posts] == ["Patience"]


async def test_reddit_unreachable_at_login_keeps_it_queued(
    core, posting, user, account, fake_reddit, subs, clock
):
    fake_reddit.token_outage = True
    job = await text_job(posting, user, account, ("pics", "Later please"))
    await posting.run_due()
    assert (await targets_of(core, job.id))[0].state == State.QUEUED
    fake_reddit.token_outage = False
    clock.advance(LATER)
    await posting.run_due()
    assert (await targets_of(core, job.id))[0].state == State.POSTED
    assert len(fake_reddit.posts) == 1


async def test_a_permanent_refusal_stops_with_the_reason_and_a_next_step(
    core, posting, user, account, fake_reddit, subs, clock
):
    fake_reddit.fail_next_submit_to["pics"] = ["SUBREDDIT_NOTALLOWED", "you aren't allowed",
                                               "sr"]
    job = await text_job(posting, user, account, ("pics", "Nope"))
    await posting.run_due()
    [target] = await targets_of(core, job.id)
    assert (target.state, target.error) == (State.FAILED, "reddit_sub_not_allowed")
    assert target.attempted_at is None  # Reddit said no: nothing to look for later
    [notice] = [n for n in await notices(core) if n.kind == "post_failed"]
    assert notice.payload["reason"] == "reddit_sub_not_allowed"
    assert notice.payload["next_step"] == "pick_other_subreddit"
    clock.advance(LATER)
    assert await posting.run_due() == 0  # stopped, not retried


async def test_a_revoked_account_fails_with_reconnect_as_the_next_step(
    core, posting, user, account, fake_reddit, subs
):
    fake_reddit.revoke_all("alice")
    job = await text_job(posting, user, account, ("pics", "Revoked"))
    await posting.run_job(user.id, job.id)
    [notice] = [n for n in await notices(core) if n.kind == "post_failed"]
    assert (notice.payload["reason"], notice.payload["next_step"]) == (
        "reddit_account_revoked", "reconnect")


async def test_the_app_wide_request_budget_from_reddits_headers_holds_posts_back(
    core, posting, user, account, fake_reddit, subs, clock
):
    fake_reddit.ratelimit = (4.0, 120.0)  # nearly spent; the window resets in 2 min
    first = await text_job(posting, user, account, ("pics", "first"))
    await posting.run_job(user.id, first.id)
    second = await text_job(posting, user, account, ("cats", "second"))
    await posting.run_job(user.id, second.id)
    assert [p.title for p in fake_reddit.posts] == ["first"]  # waits for the window
    assert (await targets_of(core, second.id))[0].state == State.QUEUED
    fake_reddit.ratelimit = (100.0, 600.0)
    clock.advance(timedelta(seconds=121))
    await posting.run_due()
    assert [p.title for p in fake_reddit.posts] == ["first", "second"]


async def test_a_post_reddit_took_is_posted_once_whatever_its_rate_limit_headers_say(
    core, posting, user, account, fake_reddit, subs
):
    fake_reddit.ratelimit = (100.0, 1e300)  # a reset no clock can reach
    job = await text_job(posting, user, account, ("pics", "Odd headers"))
    view = await posting.run_job(user.id, job.id)
    assert view.targets[0].state == State.POSTED
    assert fake_reddit.requests["submit"] == 1


async def test_rate_limit_headers_outside_reason_hold_no_post_back(
    core, posting, user, account, fake_reddit, subs
):
    fake_reddit.ratelimit = (0.0, 1e9)  # "none left, for 31 years"
    first = await text_job(posting, user, account, ("pics", "first"))
    await posting.run_job(user.id, first.id)
    second = await text_job(posting, user, account, ("cats", "second"))
    await posting.run_job(user.id, second.id)
    assert [p.title for p in fake_reddit.posts] == ["first", "second"]
