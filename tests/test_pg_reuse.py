"""The PostgreSQL `database_url` reuses one copy of the template per test process
(tests/fakes/pg_reuse.py): nothing one test leaves behind may reach the next."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.fakes.databases import admin, asyncpg_dsn
from tests.fakes.pg_reuse import ReusedDatabases

INSERT = "INSERT INTO events (kind, created_at, data) VALUES ('x', now(), '{}') RETURNING id"


@pytest.fixture
async def reused(pg_template: str | None) -> AsyncIterator[ReusedDatabases]:
    base = os.environ.get("THOTTOPILOT_TEST_POSTGRES_URL")
    if not base or pg_template is None:
        pytest.skip("THOTTOPILOT_TEST_POSTGRES_URL not set")
    databases = ReusedDatabases(base, pg_template)
    await databases.start()
    yield databases
    await databases.close()


def _name(url: str) -> str:
    return str(make_url(url).database)


async def test_rows_and_ids_of_one_test_are_gone_for_the_next(reused: ReusedDatabases) -> None:
    async with reused.database() as url:
        conn = await asyncpg.connect(asyncpg_dsn(url))
        assert [await conn.fetchval(INSERT) for _ in range(3)] == [1, 2, 3]
        await conn.close()
        first = _name(url)
    async with reused.database() as url:
        conn = await asyncpg.connect(asyncpg_dsn(url))
        assert await conn.fetchval("SELECT count(*) FROM events") == 0
        assert await conn.fetchval(INSERT) == 1
        await conn.close()
        assert _name(url) == first  # the same copy, emptied


async def test_sessions_left_open_end_with_their_listens_locks_and_transactions(
        reused: ReusedDatabases) -> None:
    async with reused.database() as url:
        left = await asyncpg.connect(asyncpg_dsn(url))
        await left.execute("LISTEN inbox")
        await left.fetchval("SELECT pg_advisory_lock(42)")
        await left.execute(f"BEGIN; {INSERT}")  # never committed, never closed
    async with reused.database() as url:
        conn = await asyncpg.connect(asyncpg_dsn(url))
        assert await conn.fetchval("SELECT pg_try_advisory_lock(42)")
        assert await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()") == 1
        await conn.close()
    assert left.is_closed() or not await _alive(left)
    left.terminate()


async def _alive(conn: asyncpg.Connection) -> bool:
    try:
        await conn.fetchval("SELECT 1")
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
        return False
    return True


async def test_a_changed_schema_is_dropped_and_the_next_test_gets_a_fresh_copy(
        reused: ReusedDatabases) -> None:
    async with reused.database() as url:
        conn = await asyncpg.connect(asyncpg_dsn(url))
        await conn.execute("CREATE TABLE leftover (x int); ALTER TABLE events DROP COLUMN kind")
        await conn.close()
        changed = _name(url)
    async with reused.database() as url:
        conn = await asyncpg.connect(asyncpg_dsn(url))
        assert await conn.fetchval("SELECT to_regclass('leftover')") is None
        assert await conn.fetchval(INSERT) == 1
        await conn.close()
        assert _name(url) != changed
    assert not await _exists(reused.base, changed)


async def test_a_database_a_test_dropped_is_replaced(reused: ReusedDatabases) -> None:
    async with reused.database() as url:
        await admin(reused.base, f'DROP DATABASE "{_name(url)}" WITH (FORCE)')
    async with reused.database() as url:
        conn = await asyncpg.connect(asyncpg_dsn(url))
        assert await conn.fetchval(INSERT) == 1
        await conn.close()


async def _exists(base: str, name: str) -> bool:
    conn = await asyncpg.connect(asyncpg_dsn(base))
    try:
        return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))
    finally:
        await conn.close()
