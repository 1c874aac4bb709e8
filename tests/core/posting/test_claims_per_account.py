"""One post at a time per Reddit account, across processes on PostgreSQL: a claim can't
see another process's claim that is not committed yet, so claims for one account are
serialised and the account is checked again once it is ours. Here one worker's claim
of an account's first post is held open while a second worker claims: the second
waits, then finds the account busy and leaves its second post queued."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text

from core.posting.models import PostTarget, State
from core.posting.service import PostingService
from tests.core.posting.conftest import targets_of, text_job

CEILING = 60.0


async def _waiting_on_a_lock(core) -> bool:
    async with core.db.read() as session:
        return bool(await session.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND datname = current_database()")))


async def test_two_workers_never_claim_two_posts_of_one_account_at_once(
        core, posting, user, account, subs, fake_reddit, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer: claims are serialised by it already")
    async with core.db.session() as session:
        (await core.users.get(session, user.id)).tier = "premium"  # past free's 3 a day
    fake_reddit.add_sub("birds")
    # Five due posts of one account: a claim of one locks a few candidates (4 per post
    # wanted), not all five, so the second worker finds one unlocked.
    job = await text_job(posting, user, account,
                         *[(sub, f"post {n}") for n, sub in enumerate([*subs, "birds"])])
    other = PostingService(core)  # a second worker

    async with core.db.session() as session:  # the first worker's claim, not committed
        _, [first] = await posting.claim_in(session, core.clock.now(), 1)
        racing = asyncio.create_task(other.claim_due(1))

        async def blocked_or_done() -> None:
            # The event is a lock wait inside PostgreSQL, not one this process can await.
            while not (racing.done() or await _waiting_on_a_lock(core)):  # noqa: ASYNC110
                await asyncio.sleep(0.05)

        await asyncio.wait_for(blocked_or_done(), timeout=CEILING)
    async with asyncio.timeout(CEILING):
        second = await racing

    assert second == []  # the account was busy once the first claim was seen
    assert first.subreddit == "pics"
    states = [t.state for t in await targets_of(core, job.id)]
    assert states == [State.RUNNING] + [State.QUEUED] * 4
    async with core.db.read() as session:
        running = await session.scalar(select(func.count()).select_from(PostTarget).where(
            PostTarget.state == State.RUNNING))
    assert running == 1
