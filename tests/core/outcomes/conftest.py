"""Outcome specs share the posting specs' world: the real asyncpraw, the local fake
Reddit, a real database and the fake clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.bootstrap import Core
from core.outcomes.checker import OutcomeChecker
from core.outcomes.models import PostCheck
from tests.core.posting.conftest import (  # noqa: F401 - fixtures
    account,
    posting,
    settings,
    subs,
    text_job,
    user,
)
from tests.fakes.reddit import FakeReddit, Post


@pytest.fixture
def checker(core: Core) -> OutcomeChecker:
    return OutcomeChecker(core)


async def checks_of(core: Core) -> list[PostCheck]:
    async with core.db.session() as session:
        return list(await session.scalars(select(PostCheck).order_by(PostCheck.id)))


async def live_post(service, creator, reddit_account, fake_reddit: FakeReddit,
                    sub: str = "pics", title: str = "Sunday mood") -> Post:
    """A text post made now through the engine (which plans its checks)."""
    job = await text_job(service, creator, reddit_account, (sub, title))
    await service.run_job(creator.id, job.id)
    return fake_reddit.posts[-1]


HOUR = timedelta(hours=1)
