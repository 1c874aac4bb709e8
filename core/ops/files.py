"""Backup files: where they live, how they are named, which is the newest.

A backup is `thottopilot-<UTC time>[-<label>].<kind>`: `.sqlite3` (an SQLite
database file) or `.pgdump` (pg_dump's custom format). The time in the name, not the
file's mtime (copying can change it), is when the backup was taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import Settings

STAMP = "%Y%m%dT%H%M%SZ"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
_NAME = re.compile(r"^thottopilot-(\d{8}T\d{6}Z)(?:-[a-z0-9-]+)?\.(sqlite3|pgdump)$")
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    dialect: str  # "sqlite" or "postgresql"


def backup_dir(settings: Settings) -> Path:
    return settings.ops.backup_dir or settings.app.data_dir / "backups"


def new_name(directory: Path, dialect: str, now: datetime, label: str = "") -> Path:
    """A fresh timestamped path in `directory` (a counter when the second is taken)."""
    stem = f"thottopilot-{now.astimezone(UTC).strftime(STAMP)}"
    suffix = SUFFIXES[dialect]
    extra = f"-{label}" if label else ""
    path = directory / f"{stem}{extra}{suffix}"
    counter = 1
    while path.exists():
        counter += 1
        path = directory / f"{stem}{extra}-{counter}{suffix}"
    return path


def parse(path: Path) -> BackupFile | None:
    found = _NAME.match(path.name)
    if found is None:
        return None
    taken = datetime.strptime(found.group(1), STAMP).replace(tzinfo=UTC)
    return BackupFile(path, taken, "sqlite" if found.group(2) == "sqlite3" else "postgresql")


def latest(directory: Path, dialect: str | None = None) -> BackupFile | None:
    """The newest backup in `directory` (of `dialect`, when given); None when there is
    none (or no directory)."""
    try:
        entries = list(directory.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return None
    found = [b for b in (parse(p) for p in entries if p.is_file())
             if b is not None and dialect in (None, b.dialect)]
    return max(found, key=lambda b: b.taken_at, default=None)


def sniff(path: Path) -> str | None:
    """"sqlite" or "postgresql" from the file's first bytes; None for anything else."""
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None
