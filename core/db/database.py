"""Engine + sessionmaker in one object, created only when asked (never at import).

Two kinds of unit of work:

- `session()` is the write unit: on SQLite it begins `IMMEDIATE`, taking the one write
  lock up front, because a deferred transaction that read first fails at once with
  SQLITE_BUSY when another writer committed in between (the optimistic version checks
  and exactly-once claims rely on that order).
- `read()` is for work that only reads (health checks, listings, dashboards): it
  begins `DEFERRED` and read-only, so in WAL mode it never waits for, or blocks, a
  writer; on PostgreSQL it is a `READ ONLY` transaction. It never commits.
- `autocommit()` is for the hottest bookkeeping (core.inbox), written so that each
  statement is safe on its own: on PostgreSQL every statement commits by itself, which
  saves the BEGIN and COMMIT round trips a transaction costs.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, InvalidRequestError, NoSuchModuleError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from core.db.errors import DatabaseSetupError

READ_ONLY = "thottopilot_read_only"  # execution option marking a read unit of work
SUPPORTED = ("sqlite+aiosqlite", "postgresql+asyncpg")


class Database:
    """Owns the async engine. One `session()` (or `read()`) per update or request."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int | None = None,
                 max_overflow: int | None = None, pool_timeout: float | None = None,
                 pool_pre_ping: bool = False) -> None:
        """`pool_*` size PostgreSQL's connection pool (SQLAlchemy's defaults when None);
        `pool_pre_ping` pings a PostgreSQL connection at each checkout (never a SQLite
        file: it has no connection to go stale)."""
        self.url = url
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise DatabaseSetupError(_bad_url(url)) from exc
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite" and parsed.database and parsed.database != ":memory:":
            self.path: Path | None = Path(parsed.database)
            ensure_private_dir(self.path.parent)
            _private_file(self.path)
        else:
            self.path = None
        try:
            pool = {k: v for k, v in (("pool_size", pool_size), ("max_overflow", max_overflow),
                                      ("pool_timeout", pool_timeout)) if v is not None}
            self.engine: AsyncEngine = create_async_engine(
                url, echo=echo, pool_pre_ping=pool_pre_ping and self.dialect != "sqlite",
                **(pool if self.dialect != "sqlite" else {}),
            )
        except (NoSuchModuleError, ArgumentError, InvalidRequestError, ImportError) as exc:
            raise DatabaseSetupError(_bad_url(url)) from exc
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_connect)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
            self._reader = self.engine.execution_options(**{READ_ONLY: True})
        else:
            self._reader = self.engine.execution_options(postgresql_readonly=True)
            event.listen(self.engine.sync_engine, "handle_error", _stranded_connection)
        # PostgreSQL only; the isolation level is set on the pooled connection without
        # a round trip, and reset when it goes back to the pool
        self._autocommit = (self.engine if self.dialect == "sqlite"
                            else self.engine.execution_options(isolation_level="AUTOCOMMIT"))
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = async_sessionmaker(self._reader, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: commits on success, rolls back on any exception."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction without the ORM: commits on success, rolls back on error.

        For hot paths that run prebuilt Core statements (core.inbox): a Session's unit
        of work and building a statement anew each call cost more CPU than the round
        trip itself (bench/bot)."""
        async with self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def autocommit(self) -> AsyncIterator[AsyncConnection]:
        """Statements that each stand alone: on PostgreSQL each one commits as it runs
        (no BEGIN, no COMMIT: two round trips fewer; a single statement is atomic
        anyway). On SQLite the block is one write transaction, as `begin`: a commit
        there costs no round trip, and one writer at a time is its rule. So a caller
        must be right both ways: nothing may depend on two statements committing
        together, or on seeing each other's effects only after the block."""
        if self.dialect == "sqlite":
            async with self.engine.begin() as conn:
                yield conn
        else:
            async with self._autocommit.connect() as conn:
                yield conn

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only unit of work; takes no write lock and is always rolled back."""
        async with self._read_sessions() as session:
            try:
                yield session
            finally:
                await session.rollback()

    async def ping(self) -> bool:
        """True when the database answers a trivial read; takes no lock.

        Health checks call this every few seconds, so on SQLite it is one statement in
        autocommit on a pooled connection: aiosqlite runs every driver call in its own
        thread, and the full session path costs about 16 thread hand-offs.
        """
        try:
            async with self._reader.connect() as conn:
                if self.dialect == "sqlite":
                    raw = await conn.get_raw_connection()
                    driver = raw.driver_connection
                    assert driver is not None  # a checked-out connection always has one
                    await driver.execute_fetchall("SELECT 1")
                else:
                    await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()


def _bad_url(url: str) -> str:
    scheme = url.split(":", 1)[0] if ":" in url else url
    return (
        f"unsupported database URL scheme {scheme!r} "
        f"(set database.url to sqlite+aiosqlite:///PATH or postgresql+asyncpg://...)"
    )


def ensure_private_dir(path: Path) -> None:
    """Create the data directory owner-only (0700): it holds tokens and the secret key."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseSetupError(
            f"cannot create the data directory {path}: {exc.strerror} "
            "(set app.data_dir or THOTTOPILOT_APP__DATA_DIR to a writable place)"
        ) from exc


def _private_file(path: Path) -> None:
    """Create the SQLite file owner-only (0600) before SQLite does (it would use the
    umask, typically 0644); its -wal and -shm files copy the database's mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError as exc:
        raise DatabaseSetupError(
            f"cannot create the database file {path}: {exc.strerror} "
            "(set app.data_dir or database.url to a writable place)"
        ) from exc


def _stranded_connection(context: Any) -> None:
    """asyncpg's "another operation is in progress": a statement on a connection whose
    previous one never finished (the server ended the session while it ran). Nothing
    more will work on it, but it is not a disconnect error, so the pool would hand it
    out again and again; count it as one, so it is thrown away (and, with no pre-ping,
    the update in hand is retried like on any dropped connection)."""
    if "another operation is in progress" in str(context.original_exception):
        context.is_disconnect = True


def _sqlite_connect(dbapi_conn: Any, _record: object) -> None:
    """Take transaction control away from the sqlite3 driver.

    The driver only issues BEGIN before its first write, so a SAVEPOINT (begin_nested)
    would open, and its RELEASE commit, the outer transaction. SQLAlchemy's documented
    recipe: driver autocommit plus our own BEGIN in the "begin" event.
    """
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    read_only = bool(conn.get_execution_options().get(READ_ONLY))
    # query_only makes an accidental write in a read unit fail loudly instead of
    # quietly taking the write lock. It belongs to the connection (which the pool
    # reuses), so it is switched only when this transaction needs the other mode.
    if conn.info.get(READ_ONLY, False) is not read_only:
        conn.exec_driver_sql(f"PRAGMA query_only={int(read_only)}")
        conn.info[READ_ONLY] = read_only
    conn.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")
