"""PostgreSQL databases of a test's own, copied from the session's migrated template
(creating a database from a template is much cheaper than migrating a new one)."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url


def asyncpg_dsn(url: str, database: str | None = None) -> str:
    """`url` (SQLAlchemy's postgresql+asyncpg form) as asyncpg takes it."""
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


@asynccontextmanager
async def postgres_copy(base: str, template: str, prefix: str = "tp") -> AsyncIterator[str]:
    """The URL of a new database copied from `template` on `base`'s server, dropped
    (whoever is still connected) on exit."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    await admin(base, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def admin(base: str, sql: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(base))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def drop_connections(url: str) -> None:
    """What a server restart does to a client: every other connection to the database
    of `url` is ended by the server."""
    await admin(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def seed_data_dir(template: Path, data_dir: Path) -> None:
    """Give `data_dir` its default database (thottopilot.db) as a copy of the session's
    migrated SQLite template (`sqlite_template`), for specs of commands run against an
    existing install: a new data directory's first command ran the whole Alembic chain
    (~0.3 s). The directory is owner-only, as `ensure_private_dir` makes it."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = data_dir / "thottopilot.db"
    shutil.copyfile(template, database)
    database.chmod(0o600)
