"""The posting engine under load: N due posts, 4 worker processes, random SIGKILLs.

Seeds N single-subreddit text posts on PostgreSQL, due at a steady `--rate` per second
from a few seconds after the start, spread over `--accounts` Reddit accounts; starts
`--workers` real `thottopilot worker` processes against a local fake Reddit served by
this process (the real asyncpraw, real HTTP); SIGKILLs a random worker every
`--kill-every` seconds (0: never) and starts a fresh one in its place; waits until
every post is live; then prints duplicates (must be 0), lost (must be 0), lateness
(posted - due) p50/p99 and posts per second, next to a floor measured in the same run:
the same fake Reddit driven by plain submits in this process (no database, no
claims), which is what the engine's overhead is measured against.

    .venv/bin/python bench/scheduler/run.py --database-url postgresql+asyncpg://... \\
        [--posts 10000] [--workers 4] [--rate 40] [--kill-every 5] [--lease 3]

The app-wide Reddit budget is lifted (the fake has none); everything else is as
deployed. Needs PostgreSQL (THOTTOPILOT_TEST_POSTGRES_URL is used when set).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.bootstrap import Core, open_core  # noqa: E402
from core.posting.models import PostJob, PostTarget, State  # noqa: E402
from core.reddit.client import Credentials  # noqa: E402
from core.reddit.types import PostRequest  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.users import Who  # noqa: E402
from tests.fakes.reddit import FakeReddit, running_fake_reddit  # noqa: E402

SUBS = ("pics", "selfie", "cats", "dogs", "art", "earthporn", "food", "travel")


def dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def seed(core: Core, fake: FakeReddit, posts: int, accounts: int, rate: float,
               lead: float) -> datetime:
    """Users/accounts through the services; the N jobs in bulk (what's measured is
    the worker, not the seeding)."""
    now = datetime.now(UTC)
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("console", "bench", "Bench"))
        ids = []
        for i in range(accounts):
            name = f"bench{i}"
            creds = Credentials(kind="refresh", refresh_token=fake.issue_refresh_token(name))
            ids.append((await core.reddit.accounts.save(session, user.id, name, creds,
                                                        auth_kind="token")).id)
    now = datetime.now(UTC)  # the accounts took a while; the clock starts here
    start = now + timedelta(seconds=lead)
    jobs, targets = [], []
    for n in range(posts):
        due = start + timedelta(seconds=n / rate)
        account = ids[n % accounts]
        jobs.append({"id": n + 1, "user_id": user.id, "account_id": account, "kind": "text",
                     "body": "bench", "nsfw": False, "spoiler": False, "source": "bench",
                     "created_at": now, "updated_at": now})
        targets.append({"job_id": n + 1, "account_id": account, "position": 0,
                        "subreddit": SUBS[n % len(SUBS)], "title": f"bench post {n}",
                        "due_at": due, "not_before": due, "state": State.QUEUED,
                        "attempts": 0, "error_params": {}, "updated_at": now})
    async with core.db.session() as session:
        for i in range(0, posts, 2000):
            await session.execute(insert(PostJob), jobs[i:i + 2000])
            await session.execute(insert(PostTarget), targets[i:i + 2000])
    return start


async def floor(core: Core, fake: FakeReddit, count: int, concurrency: int) -> float:
    """Plain submits through the same client stack, no database or claims: posts/s."""
    async with core.db.session() as session:
        account = await core.reddit.accounts.find(session, 1, "bench0")
        await session.commit()
        queue = list(range(count))

        async def one() -> None:
            while queue:
                n = queue.pop()
                result = await core.reddit.submit(session, account, PostRequest(
                    "pics", "text", f"floor {n}", body="x"))
                assert result.ok, result

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(concurrency)))
        return count / (time.perf_counter() - started)


def worker_env(settings: Settings, fake: FakeReddit, lease: float, settle: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    env.update({"THOTTOPILOT_DATABASE__URL": settings.database_url,
                "THOTTOPILOT_APP__DATA_DIR": str(settings.app.data_dir),
                "THOTTOPILOT_SECURITY__SECRET_KEY": settings.security.secret_key
                .get_secret_value(),
                "THOTTOPILOT_APP__LOG_LEVEL": "ERROR",
                "THOTTOPILOT_POSTING__LEASE_SECONDS": str(lease),
                "THOTTOPILOT_POSTING__SETTLE_SECONDS": str(settle),
                "THOTTOPILOT_POSTING__POLL_SECONDS": "0.2",
                "THOTTOPILOT_POSTING__REDDIT_REQUESTS_PER_MINUTE": "1000000000"})
    for key, value in fake.settings_section().items():
        env[f"THOTTOPILOT_REDDIT__{key.upper()}"] = str(value)
    return env


async def spawn(env: dict[str, str]) -> asyncio.subprocess.Process:
    """A worker process, returned once it is up (it prints a line when it polls)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "worker", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
    assert proc.stdout is not None
    await asyncio.wait_for(proc.stdout.readline(), timeout=300)
    return proc


async def remaining(core: Core) -> int:
    async with core.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(PostTarget).where(
            PostTarget.state != State.POSTED)) or 0)


async def run(args: argparse.Namespace) -> None:
    name = f"tp_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(dsn(args.database_url))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory() as tmp:
            async with running_fake_reddit(Path(tmp)) as fake:
                for sub in SUBS:
                    fake.add_sub(sub)
                url = make_url(args.database_url).set(database=name).render_as_string(
                    hide_password=False)
                settings = Settings(app={"data_dir": tmp, "log_level": "WARNING"},
                                    database={"url": url}, reddit=fake.settings_section(),
                                    security={"secret_key": "bench-secret-" + "x" * 32})
                async with open_core(settings) as core:
                    await measure(args, core, fake, settings)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def measure(args: argparse.Namespace, core: Core, fake: FakeReddit,
                  settings: Settings) -> None:
    env = worker_env(settings, fake, args.lease, args.settle)
    workers = list(await asyncio.gather(*(spawn(env) for _ in range(args.workers))))
    start = await seed(core, fake, args.posts, args.accounts, args.rate, args.lead)
    kills = 0
    rng = random.Random(args.seed)
    try:
        next_kill = time.monotonic() + args.kill_every if args.kill_every else None
        next_note = time.monotonic() + 30
        while left := await remaining(core):
            await asyncio.sleep(0.5)
            if time.monotonic() >= next_note:  # progress, for long runs
                print(f"... {args.posts - left}/{args.posts} live, {kills} kills", flush=True)
                next_note += 30
            if next_kill is not None and time.monotonic() >= next_kill:
                victim = rng.randrange(len(workers))
                workers[victim].send_signal(signal.SIGKILL)
                await workers[victim].wait()
                workers[victim] = await spawn(env)
                kills += 1
                next_kill = time.monotonic() + rng.uniform(0.5, 1.5) * args.kill_every
    finally:
        for proc in workers:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        await asyncio.gather(*(p.wait() for p in workers))
    async with core.db.session() as session:
        rows = (await session.execute(select(PostTarget.title, PostTarget.due_at,
                                             PostTarget.posted_at))).all()
    ended = max(r.posted_at for r in rows)
    titles = Counter(p.title for p in fake.posts)
    wanted = {r.title for r in rows}
    duplicates = sum(c - 1 for t, c in titles.items() if t in wanted)
    lost = len(wanted - set(titles))
    late = sorted(max(0.0, (r.posted_at - r.due_at).total_seconds()) for r in rows)
    p99 = late[min(len(late) - 1, int(len(late) * 0.99))]
    rate = len(rows) / max(1e-9, (ended - start).total_seconds())
    print(f"posts={len(rows)} workers={args.workers} kills={kills} scheduled_rate={args.rate}/s"
          f" lease={args.lease}s settle={args.settle}s")
    print(f"duplicates={duplicates} (must be 0)  lost={lost} (must be 0)")
    print(f"lateness p50={statistics.median(late):.3f}s p99={p99:.3f}s max={late[-1]:.3f}s")
    print(f"posts/s={rate:.1f} (first due to last posted)", flush=True)
    floor_rate = await floor(core, fake, min(500, args.posts), 8 * args.workers)
    print(f"floor: plain submits {floor_rate:.1f}/s (same fake Reddit, this process, no "
          f"database, no claims)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "THOTTOPILOT_TEST_POSTGRES_URL"))
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--rate", type=float, default=40.0, help="posts coming due per second")
    parser.add_argument("--lead", type=float, default=2.0,
                        help="seconds from seeding (workers already up) to the first due")
    parser.add_argument("--kill-every", type=float, default=5.0, help="0: no kills")
    parser.add_argument("--lease", type=float, default=10.0)
    parser.add_argument("--settle", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgresql"):
        parser.error("needs --database-url postgresql+asyncpg://... (or "
                     "THOTTOPILOT_TEST_POSTGRES_URL)")
    # SIGTERM (a timeout, Ctrl+C elsewhere) unwinds like Ctrl+C: the bench database is
    # dropped and the workers stopped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
