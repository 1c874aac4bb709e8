"""Real worker processes (`thottopilot worker`) against the fake Reddit: killed with
SIGKILL between Reddit making the post and the posted mark, and racing each other on
PostgreSQL. Every wait is for an event, with a ceiling of at least 60 s."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.bootstrap import Core
from core.posting.models import PostTarget, State
from core.posting.service import PostingService
from core.reddit.client import Credentials
from core.settings import Settings
from tests.core.posting.conftest import targets_of, text_job
from tests.fakes.reddit import FakeReddit

ROOT = Path(__file__).parents[3]
CEILING = 90.0


def worker_env(settings: Settings, fake_reddit: FakeReddit) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    env.update({
        "THOTTOPILOT_DATABASE__URL": settings.database_url,
        "THOTTOPILOT_APP__DATA_DIR": str(settings.app.data_dir),
        "THOTTOPILOT_SECURITY__SECRET_KEY": settings.security.secret_key.get_secret_value(),
        "THOTTOPILOT_POSTING__LEASE_SECONDS": "2",
        "THOTTOPILOT_POSTING__SETTLE_SECONDS": "4",
        "THOTTOPILOT_POSTING__POLL_SECONDS": "0.1",
        "THOTTOPILOT_APP__LOG_LEVEL": "WARNING",
    })
    for key, value in fake_reddit.settings_section().items():
        env[f"THOTTOPILOT_REDDIT__{key.upper()}"] = str(value)
    return env


async def start_worker(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "worker", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)


async def stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), timeout=CEILING)


async def until(check, ceiling: float = CEILING) -> None:
    """Wait for `check()` to hold (an event in the database), up to `ceiling` seconds."""
    async def poll() -> None:
        while not await check():  # noqa: ASYNC110 - the event is in another process
            await asyncio.sleep(0.1)

    await asyncio.wait_for(poll(), timeout=ceiling)


@pytest.fixture
def settings(make_settings, database_url: str, fake_reddit: FakeReddit) -> Settings:
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.fixture
async def core(settings: Settings):
    """System clock here: the workers run on real time too."""
    from core.bootstrap import open_core

    async with open_core(settings) as built:
        yield built


async def test_a_worker_killed_between_submit_and_record_posts_nothing_twice(
    core: Core, settings, user, account, fake_reddit, subs
):
    job = await text_job(PostingService(core), user, account, ("pics", "Survives kill -9"))
    fake_reddit.hold_answer["submit"] = asyncio.Event()  # made, but not answered yet
    env = worker_env(settings, fake_reddit)
    first = await start_worker(env)
    try:
        await asyncio.wait_for(fake_reddit.done.setdefault("submit", asyncio.Event()).wait(),
                               timeout=CEILING)
        first.send_signal(signal.SIGKILL)
        await asyncio.wait_for(first.wait(), timeout=CEILING)
    finally:
        fake_reddit.hold_answer.pop("submit").set()
        if first.returncode is None:
            first.kill()
    [target] = await targets_of(core, job.id)
    assert target.state == State.RUNNING  # died holding the claim, the post live
    assert target.attempted_at is not None
    assert len(fake_reddit.posts) == 1

    second = await start_worker(env)
    try:
        async def posted() -> bool:
            return (await targets_of(core, job.id))[0].state == State.POSTED
        await until(posted)
    finally:
        await stop(second)
    [target] = await targets_of(core, job.id)
    assert target.reddit_id == fake_reddit.posts[0].id
    assert len(fake_reddit.posts) == 1
    assert fake_reddit.requests["submit"] == 1


async def test_two_worker_processes_racing_for_the_same_due_posts_post_each_once(
    core: Core, settings, user, fake_reddit, subs, database_url
):
    if not database_url.startswith("postgresql"):
        pytest.skip("the race is between processes on PostgreSQL")
    posting = PostingService(core)
    accounts = []
    async with core.db.session() as session:
        (await core.users.get(session, user.id)).tier = "premium"  # 24 posts: past free's quota
        for i in range(6):
            name = f"racer{i}"
            creds = Credentials(kind="refresh", refresh_token=fake_reddit.issue_refresh_token(name))
            accounts.append(await core.reddit.accounts.save(session, user.id, name, creds,
                                                            auth_kind="token"))
    titles = [f"race {n}" for n in range(24)]
    for n, title in enumerate(titles):
        await text_job(posting, user, accounts[n % len(accounts)], (subs[n % len(subs)], title))
    env = worker_env(settings, fake_reddit)
    workers = [await start_worker(env), await start_worker(env)]
    try:
        async def all_posted() -> bool:
            async with core.db.session() as session:
                left = await session.scalar(select(func.count()).select_from(PostTarget)
                                            .where(PostTarget.state != State.POSTED))
            return left == 0
        await until(all_posted, ceiling=180)
    finally:
        for proc in workers:
            await stop(proc)
    posted = Counter(p.title for p in fake_reddit.posts)
    assert sorted(posted) == sorted(titles)  # none lost
    assert set(posted.values()) == {1}  # none twice
