"""Cancelling every job of a person at once (deleting their account) follows the same
rule as cancelling one job: what hasn't gone out never will, what is being posted right
now finishes (test_cancel_running.py, through both doors), and nobody else's jobs are
touched."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from core.posting.models import PostJob, PostTarget, State
from core.reddit.client import Credentials
from core.users import Who
from tests.core.posting.conftest import targets_of, text_job

CEILING = 60.0


async def _cancel_all(core, posting, user_id):
    async with core.db.session() as session:
        return await posting.cancel_all_for_user(session, user_id)


async def test_every_queued_or_failed_target_of_every_job_is_cancelled(
        core, posting, user, account, subs):
    first = await text_job(posting, user, account, ("pics", "a"), in_=timedelta(hours=1))
    second = await text_job(posting, user, account, ("cats", "b"), in_=timedelta(days=1))
    async with core.db.session() as session:
        await session.execute(update(PostTarget).where(PostTarget.job_id == second.id)
                              .values(state=State.FAILED))
    await _cancel_all(core, posting, user.id)
    states = [t.state for job in (first, second) for t in await targets_of(core, job.id)]
    assert states == [State.CANCELLED, State.CANCELLED]
    async with core.db.read() as session:
        assert (await session.get(PostJob, first.id)).cancelled_at == core.clock.now()


async def test_another_persons_jobs_are_left_alone(core, posting, user, account, subs,
                                                   fake_reddit):
    async with core.db.session() as session:
        bob, _ = await core.users.get_or_create(session, Who("console", "bob", "Bob"))
        bobs = await core.reddit.accounts.save(
            session, bob.id, "bob",
            Credentials(kind="refresh", refresh_token=fake_reddit.issue_refresh_token("bob")),
            auth_kind="token")
    theirs = await text_job(posting, bob, bobs, ("pics", "theirs"), in_=timedelta(hours=1))
    await _cancel_all(core, posting, user.id)
    assert [t.state for t in await targets_of(core, theirs.id)] == [State.QUEUED]
