"""Run the Alembic chain in `migrations/` programmatically.

`serve` calls `upgrade()` from inside the running event loop, so instead of letting
Alembic's env start its own loop we hand it an already-open connection through
`config.attributes` (the Alembic cookbook pattern for async engines).
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from core.db.database import Database

LOCK_KEY = 0x7407_7001  # arbitrary, constant: "thottopilot migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("migrations")))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(db: Database, revision: str = "heads") -> None:
    """Bring the schema to `revision`; safe to run on every start."""

    def _run(conn: Connection) -> None:
        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)

    async with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            # N identical processes may start together; only one migrates at a time.
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        await conn.run_sync(_run)


async def downgrade(db: Database, revision: str) -> None:
    def _run(conn: Connection) -> None:
        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(_run)
