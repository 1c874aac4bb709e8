"""Cancelling a job whose target a worker has claimed, by either door (the job's cancel,
or deleting the account, which cancels all of a person's jobs by the same rule): what
is already on its way to Reddit finishes as usual, but nothing is sent after the
cancel, not even when the try in flight is sent back to the queue (a rate limit) or the
target was claimed and not yet sent; a try that may have landed is still looked for,
never repeated."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.posting.models import PostJob, State
from tests.core.posting.conftest import sending, targets_of, text_job

CEILING = 60.0


async def test_a_target_already_being_sent_finishes_and_is_posted(
        core, posting, user, account, subs, fake_reddit, cancel):
    job = await text_job(posting, user, account, ("pics", "on its way"))
    [claimed] = await posting.claim_due(1)
    run = await sending(posting, fake_reddit, claimed)

    await cancel(job.id)
    assert [t.state for t in await targets_of(core, job.id)] == [State.RUNNING]
    fake_reddit.holds["submit"].set()

    async with asyncio.timeout(CEILING):
        assert await run == State.POSTED
    assert len(fake_reddit.posts) == 1


async def test_a_claimed_target_not_yet_sent_is_never_sent(
        core, posting, user, account, subs, fake_reddit, cancel):
    job = await text_job(posting, user, account, ("pics", "not yet"))
    [claimed] = await posting.claim_due(1)

    await cancel(job.id)

    assert await posting.engine.run(claimed) == State.CANCELLED
    assert fake_reddit.posts == []
    assert [t.state for t in await targets_of(core, job.id)] == [State.CANCELLED]


async def test_a_try_sent_back_to_the_queue_after_the_cancel_never_goes_out(
        core, posting, user, account, subs, fake_reddit, cancel):
    job = await text_job(posting, user, account, ("pics", "rate limited"))
    [claimed] = await posting.claim_due(1)
    fake_reddit.ratelimit_next_submit(5)
    run = await sending(posting, fake_reddit, claimed)
    await cancel(job.id)
    fake_reddit.holds["submit"].set()
    async with asyncio.timeout(CEILING):
        assert await run == State.QUEUED  # Reddit said "not now": back in the queue

    core.clock.advance(timedelta(minutes=10))
    while await posting.run_due():
        pass

    assert fake_reddit.posts == []
    assert [t.state for t in await targets_of(core, job.id)] == [State.CANCELLED]
    async with core.db.read() as session:
        assert (await session.get(PostJob, job.id)).cancelled_at is not None


async def test_a_try_that_may_have_landed_is_looked_for_not_repeated(
        core, posting, user, account, subs, fake_reddit, cancel):
    job = await text_job(posting, user, account, ("pics", "answer lost"))
    [claimed] = await posting.claim_due(1)
    fake_reddit.lose_reply.add("submit")  # Reddit made the post; its answer is lost
    fake_reddit.outage.add("me")  # and the lookup can't run yet: outcome unknown
    run = await sending(posting, fake_reddit, claimed)
    await cancel(job.id)
    fake_reddit.holds["submit"].set()
    async with asyncio.timeout(CEILING):
        await run
    fake_reddit.lose_reply.clear()
    fake_reddit.outage.clear()

    core.clock.advance(timedelta(hours=1))
    while await posting.run_due():
        pass

    assert fake_reddit.requests["submit"] == 1
    assert [t.state for t in await targets_of(core, job.id)] == [State.POSTED]
