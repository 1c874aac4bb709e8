"""Cancelling a job after a try whose answer was lost (the target is back in the queue
with its *attempted* mark, the creator told "waiting"): the post may be live on Reddit,
so the cancel can't just call it cancelled. The target stays to be looked for: found,
it is recorded as posted (link, history, outcome checks); not there, it is cancelled
without being sent again. The job is marked cancelled either way."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from core.outcomes.models import PostCheck
from core.posting.models import PostJob, PostTarget, State
from core.reddit.models import RedditPost
from core.texts import schedule as ts
from tests.core.posting.conftest import targets_of, text_job


async def _tried_answer_lost(core, posting, fake_reddit, job_id: int, *, landed: bool) -> None:
    """Run the job's target once: Reddit's answer is lost and the lookup can't run, so it
    goes back to the queue with its attempted mark (the post made or not: `landed`)."""
    [claimed] = await posting.claim_due(1)
    if landed:
        fake_reddit.lose_reply.add("submit")  # Reddit made the post; its answer is lost
    else:
        fake_reddit.outage_next["submit"] = 1  # a 503: nothing was made
    fake_reddit.outage.add("me")  # and the lookup can't run yet: outcome unknown
    assert await posting.engine.run(claimed) == State.QUEUED
    fake_reddit.lose_reply.clear()
    fake_reddit.outage.clear()
    [target] = await targets_of(core, job_id)
    assert (target.state, target.attempted_at is not None) == (State.QUEUED, True)


async def test_a_lost_answer_post_that_landed_is_recorded_not_called_cancelled(
        core, posting, user, account, subs, fake_reddit, cancel):
    job = await text_job(posting, user, account, ("pics", "answer lost"))
    await _tried_answer_lost(core, posting, fake_reddit, job.id, landed=True)
    [live] = fake_reddit.posts

    await cancel(job.id)
    core.clock.advance(timedelta(hours=1))
    while await posting.run_due():
        pass

    assert fake_reddit.requests["submit"] == 1  # looked for, never sent again
    [target] = await targets_of(core, job.id)
    assert (target.state, target.reddit_id) == (State.POSTED, live.id)
    async with core.db.read() as session:
        assert (await session.get(PostJob, job.id)).cancelled_at is not None
        assert await session.scalar(select(RedditPost.reddit_id)) == live.id
        assert await session.scalar(select(PostCheck.reddit_id).limit(1)) == live.id


async def test_a_lost_answer_try_that_did_not_land_is_cancelled_not_sent_again(
        core, posting, user, account, subs, fake_reddit, cancel):
    job = await text_job(posting, user, account, ("pics", "never made"))
    await _tried_answer_lost(core, posting, fake_reddit, job.id, landed=False)

    await cancel(job.id)
    core.clock.advance(timedelta(hours=1))
    while await posting.run_due():
        pass

    assert fake_reddit.posts == []
    assert fake_reddit.requests["submit"] == 1
    assert [t.state for t in await targets_of(core, job.id)] == [State.CANCELLED]


async def test_a_failed_target_whose_try_may_have_landed_is_looked_for_too(
        core, posting, user, account, subs, fake_reddit):
    job = await text_job(posting, user, account, ("pics", "gave up"))
    await _tried_answer_lost(core, posting, fake_reddit, job.id, landed=True)
    async with core.db.session() as session:  # as after too many unexpected errors
        await session.execute(update(PostTarget).values(state=State.FAILED,
                                                        error="posting_error"))
    [live] = fake_reddit.posts

    await posting.cancel(user.id, job.id)
    core.clock.advance(timedelta(hours=1))
    while await posting.run_due():
        pass

    [target] = await targets_of(core, job.id)
    assert (target.state, target.reddit_id) == (State.POSTED, live.id)
    assert fake_reddit.requests["submit"] == 1


async def test_the_creator_is_told_the_earlier_try_is_being_checked(
        core, posting, user, account, subs, fake_reddit):
    job = await text_job(posting, user, account, ("pics", "answer lost"), ("cats", "later"))
    [claimed] = await posting.claim_due(1)
    fake_reddit.lose_reply.add("submit")
    fake_reddit.outage.add("me")
    assert await posting.engine.run(claimed) == State.QUEUED

    view = await posting.cancel(user.id, job.id)

    assert [t.state for t in view.targets] == [State.QUEUED, State.CANCELLED]
    text = ts.cancelled(view.id, [t.subreddit for t in posting.still_out(view)])
    assert "r/pics" in text
    assert "r/cats" not in text
    assert text != ts.CANCELLED.format(job=view.id)
