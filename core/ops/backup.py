"""`thottopilot backup`: a consistent copy of the database, written atomically, 0600.

SQLite: the online backup API (`sqlite3.Connection.backup`) in a worker thread. It
copies every page in one step under one read transaction, so the copy is a snapshot
even while the app writes (in WAL mode readers and the writer do not block each
other), and a write cannot restart it. The copy is switched out of WAL mode so the
backup is one self-contained file. PostgreSQL: `pg_dump -Fc` (a snapshot too).
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from core.atomicfile import atomic_output
from core.db.database import ensure_private_dir
from core.db.errors import DatabaseSetupError
from core.ops import pgtools
from core.ops.errors import OpsError
from core.ops.files import BackupFile, backup_dir, new_name

if TYPE_CHECKING:
    from core.settings import Settings


def dialect_of(url: str) -> str:
    return make_url(url).get_backend_name()


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise OpsError("an in-memory SQLite database cannot be backed up or restored; "
                       "set database.url to a file")
    return Path(database)


async def take_backup(settings: Settings, now: datetime, *, to: Path | None = None,
                      label: str = "") -> BackupFile:
    """Back the configured database up into `to` (default: the backup directory)."""
    url = settings.database_url
    dialect = dialect_of(url)
    directory = to or backup_dir(settings)
    try:
        ensure_private_dir(directory)
    except DatabaseSetupError as exc:
        raise OpsError(str(exc)) from None
    target = new_name(directory, dialect, now, label)
    try:
        with atomic_output(target, 0o600) as tmp:
            if dialect == "sqlite":
                source = sqlite_path(url)
                if not source.is_file():
                    raise OpsError(f"there is no database at {source} to back up "
                                   "(run `thottopilot migrate` to create it)")
                await asyncio.to_thread(sqlite_copy, source, tmp)
            else:
                await pgtools.run("pg_dump", "-Fc", "-f", tmp, url=url)
    except OSError as exc:
        raise OpsError(f"cannot write the backup in {directory}: {exc.strerror or exc} "
                       "(is there room, and may this user write there?)") from None
    return BackupFile(target, now, dialect)


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy `source` into the (empty) file `target` with the online backup API."""
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # pages=-1: all at once, one consistent read
            dst.execute("PRAGMA journal_mode=DELETE")
            ok = dst.execute("PRAGMA quick_check").fetchone()
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise OpsError(f"cannot back up {source}: {exc}") from None
    finally:
        src.close()
    if not ok or ok[0] != "ok":
        raise OpsError(f"the copy of {source} failed its integrity check: {ok}")
