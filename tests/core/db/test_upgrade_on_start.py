"""`upgrade()` runs with every start, on SQLite and PostgreSQL: a database already at the
head is only looked at (no write, no migration lock, Alembic not run); one that is
behind is migrated to the head."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text

from core.db.database import Database
from core.db.migrate import downgrade, known_revisions, upgrade


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every SQL statement `db` sends while the block runs."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def stamped(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return {str(row[0]) for row in await conn.execute(
            text("SELECT version_num FROM alembic_version"))}


async def test_a_current_database_is_only_looked_at(db: Database):
    with statements(db) as sent:
        await upgrade(db)
    assert sent  # it did look
    assert {s.split()[0].upper() for s in sent} <= {"SELECT", "BEGIN"}, sent
    assert not [s for s in sent if "advisory" in s], sent  # no migration lock taken
    assert await stamped(db) == known_revisions()[1]


async def test_a_database_behind_is_migrated_to_the_head(db: Database):
    await downgrade(db, "-1")
    assert await stamped(db) != known_revisions()[1]
    with statements(db) as sent:
        await upgrade(db)
    assert await stamped(db) == known_revisions()[1]
    assert any(s.upper().startswith("UPDATE ALEMBIC_VERSION") for s in sent), sent
