"""Shared fixtures: settings on a temp dir, a fake clock, a real database, a chat.

Database-backed fixtures run on SQLite always and on PostgreSQL too when
THOTTOPILOT_TEST_POSTGRES_URL is set (CI sets it). Each test process clones a migrated
template once and reuses the clone, put back as the template is after every test
(tests/fakes/pg_reuse.py), so tests never see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import make_url

from bot.app import build_dispatcher
from bot.conversation.dispatcher import Dispatcher
from bot.telegram.adapter import TelegramAdapter
from core.bootstrap import Core, open_core
from core.db.database import Database
from core.db.migrate import upgrade
from core.settings import Settings, TelegramSettings
from tests.fakes.chat import ChatDriver
from tests.fakes.clock import FakeClock
from tests.fakes.databases import asyncpg_dsn
from tests.fakes.pg_reuse import ReusedDatabases
from tests.fakes.reddit import FakeReddit, running_fake_reddit
from tests.fakes.reddit_tls import make_cert
from tests.fakes.stripe import FakeStripe
from tests.fakes.telegram import FakeTelegram
from web.app import init_app

PG_ENV = "THOTTOPILOT_TEST_POSTGRES_URL"
REDIS_ENV = "THOTTOPILOT_TEST_REDIS_URL"
BACKENDS = ["sqlite", "postgres"]
# Specs that only drive a front door over core services run on SQLite; PostgreSQL runs
# where the database's behaviour can differ: every core spec (all the queries), the
# conversation unit of work, Telegram's inbox and webhook, the CLI, the hostile suite,
# and any front-door spec marked `both_backends` (races, exactly-once, redelivery).
# This keeps the suite well under ten minutes on two cores.
FRONT_DOORS_ON_SQLITE = ("tests/bot/flows/", "tests/web/", "tests/bot/discord/")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own THOTTOPILOT_* variables must not leak into tests."""
    for key in list(os.environ):
        if key.startswith("THOTTOPILOT_") and key not in (PG_ENV, REDIS_ENV):
            monkeypatch.delenv(key)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """A migrated template database, created once per test session (None without PG)."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    name = f"tp_tpl_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        conn = await asyncpg.connect(asyncpg_dsn(base))
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        db = Database(make_url(base).set(database=name).render_as_string(hide_password=False))
        await upgrade(db)
        await db.dispose()

    async def drop() -> None:
        conn = await asyncpg.connect(asyncpg_dsn(base))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(create())
    yield name
    asyncio.run(drop())


@pytest.fixture(scope="session")
def pg_databases(pg_template: str | None) -> Iterator[ReusedDatabases | None]:
    """This test process's copies of the template, emptied between tests
    (tests/fakes/pg_reuse.py): a new copy per test cost ~0.5 s of server time each."""
    base = os.environ.get(PG_ENV)
    if not base or pg_template is None:
        yield None
        return
    reused = ReusedDatabases(base, pg_template)
    asyncio.run(reused.start())
    yield reused
    asyncio.run(reused.close())


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, made once per test process and copied for each test:
    running the whole Alembic chain for every test was a large share of the suite."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"

    async def create() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await upgrade(db)
        await db.dispose()  # the last connection closing checkpoints the WAL into the file

    asyncio.run(create())
    return path


def sqlite_copy(template: Path, copy: Path) -> str:
    """The URL of `copy`, a private copy of the migrated SQLite template."""
    shutil.copyfile(template, copy)
    copy.chmod(0o600)
    return f"sqlite+aiosqlite:///{copy}"


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated SQLite database of the test's own, for specs that need a database but
    not both backends (cheaper than `make_settings()`'s new file, which runs Alembic)."""
    return sqlite_copy(sqlite_template, tmp_path / "own.db")


@pytest.fixture(params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_databases: ReusedDatabases | None,
    sqlite_template: Path,
) -> AsyncIterator[str]:
    """A migrated database with no rows on each backend: a copy of a migrated template
    (on PostgreSQL one this process reuses, put back as the template is after each test)."""
    if request.param == "sqlite":
        yield sqlite_copy(sqlite_template, tmp_path / "test.db")
        return
    if pg_databases is None:
        pytest.skip(f"{PG_ENV} not set")
    async with pg_databases.database() as url:
        yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A `Database` on `database_url` (at the head: the test template is migrated);
    two of them on one URL stand for two processes."""
    database = Database(database_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def redis_section() -> Iterator[dict[str, str]]:
    """A `[redis]` settings section on the real Redis of THOTTOPILOT_TEST_REDIS_URL (CI
    sets it; skipped without), with a key prefix of its own, deleted afterwards."""
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} not set")
    import redis

    prefix = f"tptest-{uuid.uuid4().hex[:12]}"
    yield {"url": url, "key_prefix": prefix}
    with redis.Redis.from_url(url) as client:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)


@pytest.fixture
def make_settings(tmp_path: Path) -> object:
    """Build Settings for tests: temp data dir, fixed secret, overrides as kwargs."""

    def _make(database_url: str | None = None, **sections: dict[str, object]) -> Settings:
        data: dict[str, object] = {
            "app": {"data_dir": str(tmp_path / "data")},
            "security": {"secret_key": "test-secret-key-not-for-production"},
            "database": {"url": database_url or f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"},
            # Request budgets are off unless a spec is about them (tests/web/ratelimit):
            # a spec clicking through pages is not a burst of traffic.
            "ratelimit": {"enabled": False},
            # Outbound limits too (tests/core/outbound, tests/bot/telegram/test_outbound):
            # on a clock no one moves, a fourth message to one chat would wait forever.
            "outbound": {"enabled": False},
        }
        for name, values in sections.items():
            merged = dict(data.get(name, {}))  # type: ignore[arg-type]
            merged.update(values)
            data[name] = merged
        return Settings(**data)  # type: ignore[arg-type]

    return _make


@pytest.fixture
def settings(make_settings: object, database_url: str) -> Settings:
    return make_settings(database_url)  # type: ignore[operator]


@pytest.fixture
async def core(settings: Settings, clock: FakeClock) -> AsyncIterator[Core]:
    async with open_core(settings, clock=clock) as built:
        yield built


@pytest.fixture
def dispatcher(core: Core) -> Dispatcher:
    return build_dispatcher(core)


@pytest.fixture
def chat(dispatcher: Dispatcher) -> ChatDriver:
    return ChatDriver(dispatcher)


@pytest.fixture
async def web(core: Core) -> AsyncIterator[TestClient]:
    """A browser's view of the web companion, served on 127.0.0.1."""
    async with TestClient(TestServer(init_app(core), host="127.0.0.1")) as client:
        yield client


@pytest.fixture
async def fake_stripe() -> AsyncIterator[FakeStripe]:
    """A local fake Stripe API (and webhook sender) for the real stripe library."""
    fake = FakeStripe()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def fake_reddit(tmp_path: Path) -> AsyncIterator[FakeReddit]:
    """A local fake Reddit (OAuth + API over the real protocol) for asyncpraw."""
    async with running_fake_reddit(tmp_path) as fake:
        yield fake


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def telegram_bot(
    fake_telegram: FakeTelegram, dispatcher: Dispatcher
) -> AsyncIterator[TelegramAdapter]:
    """The real python-telegram-bot Application, polling the fake Bot API."""
    tg = TelegramSettings(
        token=fake_telegram.token,
        api_base_url=fake_telegram.base_url,
        file_base_url=fake_telegram.file_base_url,
        poll_timeout=1,
    )
    adapter = TelegramAdapter(tg, dispatcher)
    async with adapter.polling():
        yield adapter


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the caption safety specification's rates (issue 8.1) at the end of every
    run. The rate tests record them as user properties, which xdist sends back from its
    workers, so they show whatever the capture or the number of processes."""
    lines = [value for reports in terminalreporter.stats.values() for report in reports
             for name, value in getattr(report, "user_properties", ())
             if name == "caption_safety_rate" and getattr(report, "when", "") == "call"]
    if lines:
        terminalreporter.section("caption safety specification")
        for line in sorted(lines, reverse=True):
            terminalreporter.write_line(str(line))


# What pytest_configure put in the environment for this run (and removes at the end).
_RUN_ENV: dict[str, str | None] = {}
_RUN_DIR: list[Path] = []


def _set_for_run(key: str, value: str | None) -> None:
    """Set (None: unset) `key` for this run, test processes and the processes they start."""
    _RUN_ENV.setdefault(key, os.environ.get(key))
    if value is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = value


def _prepare_run_environment() -> None:
    """Two costs every test process, and every `thottopilot` process a spec starts, paid
    again and again for nothing. Set once, in the first pytest process (xdist's workers
    and the processes they start inherit it):

    * The trust store. `ssl.create_default_context()` parses the system's whole CA bundle
      (~50 ms of CPU), and the suite made some 730 contexts (a Core's Reddit client, each
      httpx client): ~35 s of the workers' CPU. No test reaches a public host (pytest-socket
      allows only 127.0.0.1), and the local TLS fakes are trusted through their own CA
      file (`reddit.ca_file`, `ops.ca_file`), so the default store is one throwaway
      certificate whose key is thrown away: it trusts nothing, like the system's bundle
      for 127.0.0.1, and costs ~0.5 ms. SSL_CERT_FILE is set for the run even when the
      box sets one (this one does, to the system bundle), and put back at the end.
    * Bytecode. With PYTHONDONTWRITEBYTECODE set, every process a spec starts (`serve`,
      the CLI, workers: ~100 of them) compiled all of bot/, core/ and web/ from source
      again (~20 s of CPU). They now share one bytecode cache of this run's, outside the
      working tree (PYTHONPYCACHEPREFIX), so the tree stays free of __pycache__.
    """
    if os.environ.get("TP_TEST_RUN_DIR"):  # a parent pytest process did it already
        return
    run_dir = Path(tempfile.mkdtemp(prefix="thottopilot-tests-"))
    _RUN_DIR.append(run_dir)
    _set_for_run("TP_TEST_RUN_DIR", str(run_dir))
    cert, key = make_cert(run_dir / "trust")
    key.unlink()
    _set_for_run("SSL_CERT_FILE", str(cert))
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
        _set_for_run("PYTHONDONTWRITEBYTECODE", None)
        _set_for_run("PYTHONPYCACHEPREFIX", str(run_dir / "pycache"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_backends: a front-door spec that runs on PostgreSQL too")
    _prepare_run_environment()


def pytest_unconfigure(config: pytest.Config) -> None:
    for key, value in _RUN_ENV.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    _RUN_ENV.clear()
    while _RUN_DIR:
        shutil.rmtree(_RUN_DIR.pop(), ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the PostgreSQL run of front-door specs not marked `both_backends`."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("database_url") == "postgres"
        if (on_pg and item.nodeid.startswith(FRONT_DOORS_ON_SQLITE)
                and item.get_closest_marker("both_backends") is None):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
