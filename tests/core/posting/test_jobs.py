"""Creating, spacing, rescheduling and cancelling jobs through PostingService."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.posting.models import State
from core.posting.service import TargetSpec
from core.posting.when import WhenError
from core.reddit.types import MediaItem, PostRequest
from tests.core.posting.conftest import text_job
from tests.fakes.reddit import make_jpeg


async def test_a_time_beyond_the_creators_tier_horizon_is_refused(posting, user, account, subs):
    with pytest.raises(WhenError) as refused:
        await text_job(posting, user, account, ("pics", "Too far"), in_=timedelta(days=8))
    assert refused.value.code == "when_beyond_horizon"
    assert await posting.list_jobs(user.id) == []


async def test_a_past_time_is_refused_never_posted_now(posting, user, account, subs):
    with pytest.raises(WhenError):
        await text_job(posting, user, account, ("pics", "Yesterday"), in_=-timedelta(days=1))


async def test_the_same_photo_to_many_subreddits_is_spaced_out(posting, user, account, subs):
    request = PostRequest("pics", "image", "Hi", images=(MediaItem(make_jpeg(), "a.jpg"),))
    view = await posting.create_job(user_id=user.id, account_id=account.id, request=request,
                                    targets=[TargetSpec(s, "Hi") for s in subs[:3]],
                                    due_at=posting.clock.now())
    gaps = [b.due_at - a.due_at for a, b in zip(view.targets, view.targets[1:], strict=False)]
    assert view.spaced
    assert gaps == [timedelta(hours=12)] * 2  # at most 2 per 24 h by default


async def test_spacing_can_be_overridden(posting, user, account, subs):
    request = PostRequest("pics", "image", "Hi", images=(MediaItem(make_jpeg(), "a.jpg"),))
    view = await posting.create_job(user_id=user.id, account_id=account.id, request=request,
                                    targets=[TargetSpec(s, "Hi") for s in subs[:3]],
                                    due_at=posting.clock.now(), space=False)
    assert not view.spaced
    assert len({t.due_at for t in view.targets}) == 1


async def test_reschedule_moves_every_remaining_target_keeping_their_spacing(
    posting, user, account, subs
):
    job = await text_job(posting, user, account, ("pics", "a"), ("cats", "b"),
                         in_=timedelta(hours=1))
    when = posting.clock.now() + timedelta(days=2)
    view = await posting.reschedule(user.id, job.id, when)
    assert {t.due_at for t in view.targets} == {when}


async def test_cancel_stops_what_has_not_gone_out(posting, user, account, subs, fake_reddit,
                                                  clock):
    job = await text_job(posting, user, account, ("pics", "a"), in_=timedelta(hours=1))
    view = await posting.cancel(user.id, job.id)
    assert [t.state for t in view.targets] == [State.CANCELLED]
    clock.advance(timedelta(hours=2))
    assert await posting.run_due() == 0
    assert fake_reddit.posts == []


async def test_someone_elses_job_cannot_be_touched(core, posting, user, account, subs):
    job = await text_job(posting, user, account, ("pics", "mine"))
    assert await posting.cancel(user.id + 1, job.id) is None
    assert await posting.get_job(user.id + 1, job.id) is None


async def test_a_retried_create_with_the_same_key_is_one_job(posting, user, account, subs):
    request = PostRequest("pics", "text", "Once", body="x")
    views = [await posting.create_job(user_id=user.id, account_id=account.id, request=request,
                                      targets=[TargetSpec("pics", "Once")], idempotency_key="k1")
             for _ in range(2)]
    assert views[0].id == views[1].id
    assert len(await posting.list_jobs(user.id)) == 1
