"""Run the Alembic chain in `migrations/` programmatically.

`serve` calls `upgrade()` from inside the running event loop, so instead of letting
Alembic's env start its own loop we hand it an already-open connection through
`config.attributes` (the Alembic cookbook pattern for async engines).

Every start calls `upgrade()`, and nearly always the schema is already current. Alembic
(with mako and pygments behind it) takes a few hundred milliseconds just to import, so
the revisions are first read from the migration files as text and compared with the
database's `alembic_version`; Alembic is loaded only when there is work to do. The same
look tells apart the databases we must not touch: one written by a newer ThottoPilot,
one that is not a SQLite file, or one that holds somebody else's tables.

The look is kept cheap because every `open_core` pays it (every test, every start): the
files are read once per process, and a current database costs two small catalog reads
(is there an `alembic_version`? what does it say?); the whole list of tables is asked
for only when there is no `alembic_version` (information_schema alone cost PostgreSQL
some 7 ms on a fresh connection).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from core.db.database import Database
from core.db.errors import DatabaseSetupError

if TYPE_CHECKING:
    from alembic.config import Config

LOCK_KEY = 0x7407_7001  # arbitrary, constant: "thottopilot migrations"
_REVISION = re.compile(r"^revision\b[^=]*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\b[^=]*=\s*(.+)$", re.M)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("migrations")))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@functools.cache
def known_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision, the heads) of the chain shipped with this code, from the files.

    Read once per process (the files ship with the code and do not change under it);
    frozen, so no caller can change what the next one is told."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for entry in (resources.files("migrations") / "versions").iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        source = entry.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            continue
        revisions.add(found.group(1))
        down = _DOWN.search(source)
        if down is not None:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return frozenset(revisions), frozenset(revisions - parents)


# Whether `alembic_version` is there, straight from the catalog (to_regclass resolves it
# on the search_path, as Alembic's own unqualified queries do).
_HAS_VERSION_TABLE = {
    "sqlite": "SELECT count(*) FROM sqlite_master "
              "WHERE type = 'table' AND name = 'alembic_version'",
    "postgresql": "SELECT to_regclass('alembic_version') IS NOT NULL",
}


async def _database_revisions(db: Database) -> set[str] | None:
    """The revisions stamped in the database; None when it has no Alembic table."""
    async with db.engine.connect() as conn:
        if not (await conn.execute(text(_HAS_VERSION_TABLE[db.dialect]))).scalar():
            if await conn.run_sync(_table_names):
                raise DatabaseSetupError(
                    f"the database at {_where(db)} holds tables that are not "
                    "ThottoPilot's (point database.url at an empty or ThottoPilot database)"
                )
            return None
        rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
        return {str(row[0]) for row in rows}


def _table_names(conn: Connection) -> set[str]:
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        rows = conn.exec_driver_sql(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        )
    return {str(row[0]) for row in rows}


def _where(db: Database) -> str:
    return str(db.path) if db.path is not None else db.engine.url.render_as_string()


async def upgrade(db: Database, revision: str = "heads") -> None:
    """Bring the schema to `revision`; safe (and cheap) to run on every start."""
    try:
        await _upgrade(db, revision)
    except DatabaseSetupError:
        raise
    except (DBAPIError, OSError) as exc:
        raise DatabaseSetupError(_unusable(db, exc)) from exc


async def _upgrade(db: Database, revision: str) -> None:
    known, heads = known_revisions()
    stamped = await _database_revisions(db)
    if stamped is not None and stamped - known:
        raise DatabaseSetupError(
            f"the database at {_where(db)} was written by a newer ThottoPilot "
            f"(schema {', '.join(sorted(stamped - known))}); upgrade ThottoPilot to use it"
        )
    if revision == "heads" and stamped == heads:
        return

    def _run(conn: Connection) -> None:
        from alembic import command

        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)

    async with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            # N identical processes may start together; only one migrates at a time.
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        await conn.run_sync(_run)


def _unusable(db: Database, exc: SQLAlchemyError | OSError) -> str:
    """One line for a database that cannot be opened at all."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
    if db.dialect == "sqlite":
        if "not a database" in detail or "malformed" in detail:
            return (f"the database file {_where(db)} is damaged or not a SQLite database "
                    "(restore it from a backup, or move it away to start afresh)")
        return f"cannot open the database file {_where(db)}: {detail}"
    return (f"cannot reach the database at {_where(db)}: {detail} "
            "(is PostgreSQL running, and is database.url right?)")


async def downgrade(db: Database, revision: str) -> None:
    def _run(conn: Connection) -> None:
        from alembic import command

        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(_run)
