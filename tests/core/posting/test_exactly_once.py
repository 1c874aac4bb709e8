"""The exactly-once protocol: claim, attempted mark, posted mark, reconciliation."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.posting.engine import MARKED
from core.posting.models import State
from tests.core.posting.conftest import notices, targets_of, text_job


async def test_post_now_is_a_job_due_now_that_goes_out_once_with_its_link(
    core, posting, user, account, fake_reddit, subs
):
    job = await text_job(posting, user, account, ("pics", "Hello pics"))
    view = await posting.run_job(user.id, job.id)
    [post] = fake_reddit.posts
    [target] = view.targets
    assert target.state == State.POSTED
    assert target.permalink
    assert post.id in target.permalink
    [notice] = await notices(core)
    assert notice.kind == "post_live"
    assert notice.payload["link"] == target.permalink


async def test_a_job_due_later_is_not_posted_before_its_time(
    core, posting, user, account, fake_reddit, subs, clock
):
    job = await text_job(posting, user, account, ("pics", "Later"), in_=timedelta(hours=2))
    assert await posting.run_due() == 0
    clock.advance(timedelta(hours=2))
    assert await posting.run_due() == 1
    assert [p.title for p in fake_reddit.posts] == ["Later"]
    assert (await targets_of(core, job.id))[0].state == State.POSTED


async def test_two_claims_at_once_never_get_the_same_target(
    core, posting, user, account, fake_reddit, subs
):
    await text_job(posting, user, account, ("pics", "A"), ("cats", "B"))
    first, second = await asyncio.gather(posting.claim_due(5), posting.claim_due(5))
    ids = [c.target_id for c in first + second]
    assert len(ids) == len(set(ids)) == 1  # one per account at a time, never twice


async def test_a_crashed_run_is_taken_over_and_its_landed_post_found_not_reposted(
    core, posting, user, account, fake_reddit, subs, clock
):
    """The worker died after Reddit made the post and before the posted mark."""
    job = await text_job(posting, user, account, ("pics", "Made it"))
    [claimed] = await posting.claim_due(1)
    engine = posting.engine
    assert await engine._mark_attempted(claimed)
    result = await engine._submit(claimed, claimed.request)
    assert result.ok
    assert len(fake_reddit.posts) == 1
    # ... and the process is gone: nothing recorded. Its lease runs out.
    assert await posting.run_due() == 0  # still leased: nobody takes it over early
    clock.advance(timedelta(seconds=31))
    assert await posting.run_due() == 1
    [target] = await targets_of(core, job.id)
    assert target.state == State.POSTED
    assert target.reddit_id == fake_reddit.posts[0].id
    assert len(fake_reddit.posts) == 1
    assert fake_reddit.requests["submit"] == 1


async def test_a_crash_before_the_submit_posts_after_looking(
    core, posting, user, account, fake_reddit, subs, clock
):
    """Attempted, but the process died before the request left: look, then post once."""
    job = await text_job(posting, user, account, ("pics", "Not yet"))
    [claimed] = await posting.claim_due(1)
    assert await posting.engine._mark_attempted(claimed)
    clock.advance(timedelta(seconds=31))
    await posting.run_due()
    [target] = await targets_of(core, job.id)
    assert target.state == State.POSTED
    assert len(fake_reddit.posts) == 1
    assert fake_reddit.requests["submitted"] + fake_reddit.requests["submitted_slash"] >= 1


async def test_the_lookup_after_a_crash_waits_for_the_shared_reddit_budget(
    core, posting, user, account, fake_reddit, subs, clock
):
    """Looking costs Reddit requests too: with the budget spent by other processes the
    target waits in the queue instead of asking Reddit."""
    job = await text_job(posting, user, account, ("pics", "Not yet"))
    [claimed] = await posting.claim_due(1)
    assert await posting.engine._mark_attempted(claimed)
    clock.advance(timedelta(seconds=31))
    budget = posting.engine.budget
    await budget.reserve(budget.per_minute)
    await posting.run_due()
    assert (await targets_of(core, job.id))[0].state == State.QUEUED
    assert fake_reddit.requests["submitted"] + fake_reddit.requests["submitted_slash"] == 0
    assert fake_reddit.posts == []


async def test_a_late_writer_that_lost_its_claim_cannot_overwrite_the_new_owner(
    core, posting, user, account, fake_reddit, subs, clock
):
    await text_job(posting, user, account, ("pics", "Mine"))
    [old] = await posting.claim_due(1)
    clock.advance(timedelta(seconds=11))
    [new] = await posting.claim_due(1)
    assert new.target_id == old.target_id
    assert new.token != old.token
    assert await posting.engine._mark_attempted(old) == State.RUNNING  # not ours: hands off
    assert await posting.engine._mark_attempted(new) == MARKED


async def test_each_subreddit_is_its_own_target_and_posted_in_order(
    core, posting, user, account, fake_reddit, subs
):
    job = await text_job(posting, user, account, ("pics", "one"), ("cats", "two"),
                         ("dogs", "three"))
    view = await posting.run_job(user.id, job.id)
    assert [t.state for t in view.targets] == [State.POSTED] * 3
    assert [(p.subreddit, p.title) for p in fake_reddit.posts] == [
        ("pics", "one"), ("cats", "two"), ("dogs", "three")]


async def test_a_takeover_waits_until_a_stalled_owners_submit_must_have_settled(
    core, posting, user, account, fake_reddit, subs, clock
):
    """Lease gone after 10 s, but the owner may only be stalled with its request in
    flight: nobody looks, let alone posts, until 30 s after its attempted mark."""
    job = await text_job(posting, user, account, ("pics", "Slow owner"))
    [claimed] = await posting.claim_due(1)
    assert await posting.engine._mark_attempted(claimed)
    clock.advance(timedelta(seconds=11))
    assert await posting.run_due() == 1  # taken over ...
    assert fake_reddit.requests["submit"] + fake_reddit.requests["me"] == 0  # ... left be
    [target] = await targets_of(core, job.id)
    assert target.state == State.QUEUED
    clock.advance(timedelta(seconds=20))
    await posting.run_due()
    [target] = await targets_of(core, job.id)
    assert target.state == State.POSTED
    assert len(fake_reddit.posts) == 1
