"""`thottopilot restore FILE`: put a backup back, after checking it can be.

Order: the file is verified (core.ops.verify); the database must not be in use by
another process (a running `serve` or `worker` would keep writing into, or hold locks
on, what is being replaced), unless the operator forces it; the current database is
backed up ("-before-restore"), so a restore can itself be undone; then the backup is
restored. In use means, on SQLite, that another process has the database open (it
holds SQLite's shared lock on the `-shm` file); on PostgreSQL, that other client
sessions are connected to the database.

SQLite is restored with the online backup API in the other direction, page by page
under SQLite's own locking; PostgreSQL with `pg_restore --clean --if-exists` in one
transaction, so a failed restore leaves the database as it was.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from core.ops import pgtools
from core.ops.backup import dialect_of, sqlite_path, take_backup
from core.ops.errors import OpsError
from core.ops.files import BackupFile
from core.ops.verify import verify

if TYPE_CHECKING:
    from core.settings import Settings

SHM_DMS_BYTE = 128  # SQLite's "dead man switch" lock: held shared by every open connection


@dataclass(frozen=True)
class Restored:
    source: Path
    revisions: set[str]
    safety: BackupFile | None  # the database as it was just before


async def restore(settings: Settings, path: Path, now: datetime, *,
                  force: bool = False) -> Restored:
    url = settings.database_url
    dialect = dialect_of(url)
    revisions = await verify(path, dialect)
    if not force:
        users = await in_use(url, dialect)
        if users:
            raise OpsError(f"the database is in use by {users}; stop `thottopilot serve` "
                           "and any worker first (or pass --force if you are sure)")
    safety = None
    if dialect != "sqlite" or sqlite_path(url).is_file():
        try:
            safety = await take_backup(settings, now, label="before-restore")
        except OpsError as exc:
            raise OpsError(f"nothing was restored: the current database could not be "
                           f"backed up first ({exc})") from None
    if dialect == "sqlite":
        await asyncio.to_thread(_sqlite_restore, path, sqlite_path(url))
    else:
        await pgtools.run("pg_restore", "--clean", "--if-exists", "--single-transaction",
                          "--no-owner", "--no-privileges", path, url=url)
    return Restored(path, revisions, safety)


async def in_use(url: str, dialect: str) -> str | None:
    """Who else uses the database, in words; None when nobody seems to."""
    if dialect == "sqlite":
        return "another process" if sqlite_open_elsewhere(sqlite_path(url)) else None
    from core.db.database import Database

    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            count = await conn.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"))
    except Exception as exc:
        raise OpsError(f"cannot reach the database to restore into: "
                       f"{str(getattr(exc, 'orig', exc)).splitlines()[0][:200]}") from None
    finally:
        await db.dispose()
    return f"{count} other session{'s' * (count != 1)}" if count else None


def sqlite_open_elsewhere(database: Path) -> bool:
    """Whether another process has `database` open (WAL mode: its -shm lock)."""
    shm = database.with_name(database.name + "-shm")
    try:
        fd = os.open(shm, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DMS_BYTE)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, SHM_DMS_BYTE)
        return False
    finally:
        os.close(fd)


def _sqlite_restore(backup: Path, live: Path) -> None:
    live.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(live, os.O_WRONLY | os.O_CREAT, 0o600))
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(live, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise OpsError(f"restoring into {live} failed: {exc}") from None
    finally:
        src.close()
