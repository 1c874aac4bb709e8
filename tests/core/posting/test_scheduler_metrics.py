"""The scheduler's lateness (a post claimed after its time) and its queue depth (posts
due and waiting) are recorded for /metrics; "Post now" is not the scheduler."""

from __future__ import annotations

from datetime import timedelta

from tests.core.posting.conftest import text_job


def _metrics(core) -> str:
    return core.analytics.metrics.render()[0].decode()


async def test_a_scheduled_post_claimed_late_records_how_late(core, posting, user, account,
                                                               subs, clock):
    await text_job(posting, user, account, ("pics", "Later"), in_=timedelta(minutes=10))
    clock.advance(timedelta(minutes=10, seconds=90))
    claimed = await posting.claim_due(4)
    assert len(claimed) == 1
    body = _metrics(core)
    assert "thottopilot_scheduler_lateness_seconds_count 1.0" in body
    assert "thottopilot_scheduler_lateness_seconds_sum 90.0" in body


async def test_queue_depth_counts_the_posts_that_are_due(core, posting, user, account, subs,
                                                         clock):
    await text_job(posting, user, account, ("pics", "a"), ("cats", "b"),
                   in_=timedelta(minutes=5))
    await text_job(posting, user, account, ("dogs", "not yet"), in_=timedelta(days=1))
    clock.advance(timedelta(minutes=6))
    await posting.claim_due(1)  # one account: one claimed, the other due one waits
    assert "thottopilot_scheduler_queue_depth 1.0" in _metrics(core)


async def test_post_now_is_not_counted_as_scheduler_lateness(core, posting, user, account,
                                                             subs, clock):
    job = await text_job(posting, user, account, ("pics", "Now"))
    clock.advance(timedelta(seconds=30))
    await posting.claim_due(1, job_id=job.id)
    assert "thottopilot_scheduler_lateness_seconds_count 0.0" in _metrics(core)
