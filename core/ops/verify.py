"""Is this file a backup we can restore? Checked before anything is touched.

SQLite: the integrity check passes and the schema is ThottoPilot's. PostgreSQL:
pg_restore can read the archive, it holds our `alembic_version`, and both name
revisions this code knows (a backup from a newer ThottoPilot is refused).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

from core.db.migrate import known_revisions
from core.ops import pgtools
from core.ops.errors import OpsError
from core.ops.files import sniff

_COPY = re.compile(r"^COPY \S*alembic_version \(version_num\) FROM stdin;\n(.*?)^\\\.$",
                   re.M | re.S)


async def verify(path: Path, dialect: str) -> set[str]:
    """The schema revisions the backup at `path` holds; OpsError if it is unusable."""
    try:
        kind = sniff(path)
    except OSError as exc:
        raise OpsError(f"cannot read {path}: {exc.strerror or exc}") from None
    if kind is None:
        raise OpsError(f"{path} is not a ThottoPilot backup (neither an SQLite file "
                       "nor a pg_dump archive)")
    if kind != dialect:
        raise OpsError(f"{path} is a {_name(kind)} backup but the configured database is "
                       f"{_name(dialect)}; restore it into a {_name(kind)} database")
    if kind == "sqlite":
        revisions = await asyncio.to_thread(_sqlite_revisions, path)
    else:
        revisions = await _pg_revisions(path)
    unknown = revisions - known_revisions()[0]
    if unknown:
        raise OpsError(f"{path} was taken by a newer ThottoPilot (schema "
                       f"{', '.join(sorted(unknown))}); upgrade ThottoPilot to restore it")
    return revisions


def _name(dialect: str) -> str:
    return "SQLite" if dialect == "sqlite" else "PostgreSQL"


def _sqlite_revisions(path: Path) -> set[str]:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise OpsError(f"cannot open {path}: {exc}") from None
    try:
        check = conn.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise OpsError(f"{path} is damaged (integrity check: {check[0][0]}); "
                           "use an older backup")
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as exc:
        raise OpsError(f"{path} is not a usable ThottoPilot backup: {exc}") from None
    finally:
        conn.close()
    return _stamped(path, {str(r[0]) for r in rows})


async def _pg_revisions(path: Path) -> set[str]:
    listing = await pgtools.run_file("pg_restore", "--list", path)
    if not re.search(r"TABLE DATA \S+ alembic_version ", listing):
        raise OpsError(f"{path} is a pg_dump archive but not of a ThottoPilot database")
    data = await pgtools.run_file("pg_restore", "--data-only", "--table=alembic_version",
                                  "--file=-", path)
    found = _COPY.search(data)
    rows = found.group(1).split() if found else []
    return _stamped(path, set(rows))


def _stamped(path: Path, revisions: set[str]) -> set[str]:
    if not revisions:
        raise OpsError(f"{path} holds no schema revision; it is not a complete backup")
    return revisions
