"""Posting-engine specs: the real asyncpraw against the local fake Reddit, a real
database (SQLite, and PostgreSQL when configured), a fake clock for every wait."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.bootstrap import Core
from core.db.models import User
from core.posting.models import OutboxMessage, PostTarget
from core.posting.service import PostingService, TargetSpec
from core.reddit.models import RedditAccount
from core.reddit.types import PostRequest
from core.settings import Settings
from tests.fakes.creators import adult_creator, connected_account
from tests.fakes.reddit import FakeReddit


@pytest.fixture
def settings(make_settings, database_url: str, fake_reddit: FakeReddit) -> Settings:
    return make_settings(database_url, reddit=fake_reddit.settings_section(),
                         posting={"lease_seconds": 10, "settle_seconds": 30})


@pytest.fixture
async def user(core: Core) -> User:
    return await adult_creator(core)


@pytest.fixture
async def account(core: Core, user: User, fake_reddit: FakeReddit) -> RedditAccount:
    return await connected_account(core, user, fake_reddit)


@pytest.fixture
def posting(core: Core) -> PostingService:
    return PostingService(core)


@pytest.fixture
def subs(fake_reddit: FakeReddit) -> list[str]:
    names = ["pics", "selfie", "cats", "dogs"]
    for name in names:
        fake_reddit.add_sub(name)
    return names


async def text_job(posting: PostingService, user: User, account: RedditAccount,
                   *subs_and_titles: tuple[str, str], in_: timedelta = timedelta(0)):
    """A text post queued to each (subreddit, title), due `in_` from now."""
    request = PostRequest(subs_and_titles[0][0], "text", subs_and_titles[0][1], body="hello")
    return await posting.create_job(
        user_id=user.id, account_id=account.id, request=request,
        targets=[TargetSpec(s, t) for s, t in subs_and_titles],
        due_at=posting.clock.now() + in_)


async def targets_of(core: Core, job_id: int) -> list[PostTarget]:
    async with core.db.session() as session:
        return list(await session.scalars(select(PostTarget).where(
            PostTarget.job_id == job_id).order_by(PostTarget.position)))


async def notices(core: Core) -> list[OutboxMessage]:
    async with core.db.session() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def sending(posting, fake_reddit, claimed) -> asyncio.Task:
    """Run `claimed` until its submit is at Reddit, held there."""
    fake_reddit.holds["submit"] = asyncio.Event()
    arrived = fake_reddit.arrived.setdefault("submit", asyncio.Event())
    run = asyncio.create_task(posting.engine.run(claimed))
    async with asyncio.timeout(60.0):
        await arrived.wait()
    return run


@pytest.fixture(params=["the job", "the account"])
def cancel(request, core, posting, user):
    """Cancel one job, or every job of its creator (deleting the account)."""
    async def the_job(job_id: int) -> None:
        await posting.cancel(user.id, job_id)

    async def the_account(_: int) -> None:
        async with core.db.session() as session:
            await posting.cancel_all_for_user(session, user.id)

    return the_job if request.param == "the job" else the_account
