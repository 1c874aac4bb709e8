"""`restore` checks before it touches anything: a file that is not a usable backup of
this kind of database, or a database another process is using, is refused with the
reason, and the database stays as it was."""

from __future__ import annotations

import asyncio
import sqlite3
import sys

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from core.bootstrap import open_core
from core.ops.backup import sqlite_path, take_backup
from core.ops.errors import OpsError
from core.ops.restore import restore
from tests.core.ops.data import seed, snapshot


@pytest.fixture
async def backed_up(settings, clock):
    """A seeded database and a good backup of it."""
    async with open_core(settings, clock=clock) as core:
        await seed(core)
    return await take_backup(settings, clock.now())


async def refused(settings, clock, path, match, **kw) -> None:
    before = await snapshot(settings)
    with pytest.raises(OpsError, match=match):
        await restore(settings, path, clock.now(), **kw)
    assert await snapshot(settings) == before


async def test_a_file_that_is_no_backup_is_refused(settings, clock, backed_up, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    await refused(settings, clock, junk, "not a ThottoPilot backup")


async def test_a_missing_file_is_refused(settings, clock, backed_up, tmp_path):
    await refused(settings, clock, tmp_path / "nope.sqlite3", "cannot read")


async def test_a_damaged_sqlite_backup_is_refused(make_settings, clock, tmp_path):
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'live.db'}")
    async with open_core(settings, clock=clock) as core:
        await seed(core)
    made = await take_backup(settings, clock.now())
    data = made.path.read_bytes()
    made.path.write_bytes(data[: len(data) // 3])
    await refused(settings, clock, made.path, "damaged|not a usable")


async def test_a_backup_from_a_newer_thottopilot_is_refused(make_settings, clock, tmp_path):
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'live.db'}")
    async with open_core(settings, clock=clock):
        pass
    made = await take_backup(settings, clock.now())
    with sqlite3.connect(made.path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    await refused(settings, clock, made.path, "newer ThottoPilot .*9999.*upgrade")


async def test_a_backup_of_the_other_kind_of_database_is_refused(settings, clock, backed_up,
                                                                 tmp_path):
    other = tmp_path / ("x.pgdump" if backed_up.dialect == "sqlite" else "x.sqlite3")
    other.write_bytes(b"PGDMP\x01\x0e" if backed_up.dialect == "sqlite"
                      else b"SQLite format 3\x00" + bytes(4080))
    await refused(settings, clock, other, "backup but the configured database is")


async def test_restore_refuses_while_another_process_has_the_database_open(
        settings, clock, backed_up):
    async with holding_the_database(settings.database_url):
        await refused(settings, clock, backed_up.path,
                      "in use by .*stop `thottopilot serve`.*--force")
        await restore(settings, backed_up.path, clock.now(), force=True)


class holding_the_database:
    """Another process (SQLite) or session (PostgreSQL) with the database open."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.proc: asyncio.subprocess.Process | None = None
        self.conn: asyncpg.Connection | None = None

    async def __aenter__(self) -> None:
        if self.url.startswith("sqlite"):
            code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                    "c.execute('SELECT count(*) FROM users').fetchall(); print('open', "
                    "flush=True); sys.stdin.read()")
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-c", code, str(sqlite_path(self.url)),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
            assert self.proc.stdout is not None
            line = await asyncio.wait_for(self.proc.stdout.readline(), 60)
            assert line.strip() == b"open"
        else:
            dsn = make_url(self.url).set(drivername="postgresql")
            self.conn = await asyncpg.connect(dsn.render_as_string(hide_password=False))

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is not None:
            await asyncio.wait_for(self.proc.communicate(b""), 60)
        if self.conn is not None:
            await self.conn.close()
