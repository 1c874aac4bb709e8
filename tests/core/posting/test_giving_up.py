"""A target whose run keeps ending in an error of our own stops after MAX_UNEXPECTED
attempts, and stopping is said like any failure (a "failed" notice, an event). Tries
that Reddit's outages ended count as attempts too, so an earlier try may be live:
Reddit is looked at once more first, and a post found there is recorded as posted."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from core.db.models import Event
from core.events import EventKind
from core.posting.engine import MAX_UNEXPECTED
from core.posting.models import State
from core.posting.service import TargetSpec
from core.reddit.types import MediaItem, PostRequest
from tests.core.posting.conftest import notices, targets_of
from tests.fakes.reddit import make_jpeg

LATER = timedelta(seconds=301)  # past the longest retry backoff and the settle time


async def _photo_job(posting, user, account):
    request = PostRequest("pics", "image", "Golden hour", images=(MediaItem(make_jpeg(), "a.jpg"),))
    return await posting.create_job(user_id=user.id, account_id=account.id, request=request,
                                    targets=[TargetSpec("pics", "Golden hour")],
                                    due_at=posting.clock.now())


async def _tries_while_reddit_is_down(posting, fake_reddit, clock, tries: int) -> None:
    """Each try is marked attempted, sent, and answered 503: back in the queue."""
    fake_reddit.outage.add("submit")
    for _ in range(tries):
        assert await posting.run_due() == 1
        clock.advance(LATER)
    fake_reddit.outage.clear()


async def _a_try_whose_answer_is_lost(posting, fake_reddit) -> None:
    """Reddit makes the post, its answer is lost, and the look after it can't run."""
    fake_reddit.holds["submit"] = asyncio.Event()
    fake_reddit.arrived["submit"] = asyncio.Event()
    [claimed] = await posting.claim_due(1)
    run = asyncio.create_task(posting.engine.run(claimed))
    async with asyncio.timeout(60.0):
        await fake_reddit.arrived["submit"].wait()  # looked (nothing there), now sending
    fake_reddit.lose_reply.add("submit")
    fake_reddit.outage.add("me")
    fake_reddit.holds.pop("submit").set()
    assert await run == State.QUEUED
    fake_reddit.lose_reply.clear()
    fake_reddit.outage.clear()


def _storage_fault(posting) -> None:
    """The stored photo can no longer be read (a link to itself): an error of ours."""
    [sha] = posting.media.all_hashes()
    path = posting.media.path(sha)
    path.unlink()
    path.symlink_to(path)


async def test_our_error_at_the_last_attempt_fails_the_post_and_tells_the_creator(
        core, posting, user, account, fake_reddit, subs, clock):
    job = await _photo_job(posting, user, account)
    await _tries_while_reddit_is_down(posting, fake_reddit, clock, MAX_UNEXPECTED)
    [target] = await targets_of(core, job.id)
    assert (target.state, target.attempts) == (State.QUEUED, MAX_UNEXPECTED)
    _storage_fault(posting)

    assert await posting.run_due() == 1

    [target] = await targets_of(core, job.id)
    assert (target.state, target.error) == (State.FAILED, "posting_error")
    [failed] = [n for n in await notices(core) if n.kind == "post_failed"]
    assert failed.payload["reason"] == "posting_error"
    async with core.db.read() as session:
        codes = [e.data["code"] for e in await session.scalars(select(Event).where(
            Event.kind == EventKind.POST_FAILED))]
    assert codes == ["posting_error"]
    assert fake_reddit.posts == []
    assert fake_reddit.requests["submit"] == MAX_UNEXPECTED  # not sent once more
    clock.advance(LATER)
    assert await posting.run_due() == 0  # stopped


async def test_giving_up_after_a_try_that_landed_records_the_post_not_a_failure(
        core, posting, user, account, fake_reddit, subs, clock):
    job = await _photo_job(posting, user, account)
    await _tries_while_reddit_is_down(posting, fake_reddit, clock, MAX_UNEXPECTED - 1)
    await _a_try_whose_answer_is_lost(posting, fake_reddit)
    [live] = fake_reddit.posts
    [target] = await targets_of(core, job.id)
    assert (target.state, target.attempts) == (State.QUEUED, MAX_UNEXPECTED)
    _storage_fault(posting)
    clock.advance(LATER)

    assert await posting.run_due() == 1

    [target] = await targets_of(core, job.id)
    assert (target.state, target.reddit_id) == (State.POSTED, live.id)
    kinds = [n.kind for n in await notices(core)]
    assert "post_live" in kinds
    assert "post_failed" not in kinds
    assert fake_reddit.requests["submit"] == MAX_UNEXPECTED  # found, never sent again
