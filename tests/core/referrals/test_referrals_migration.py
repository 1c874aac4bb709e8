"""Migration 0021 (a surrogate key for `referrals`, `referred_id` nullable and ON DELETE
SET NULL) keeps every row through an upgrade, and its downgrade keeps every row the old
key can hold, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, inspect, text

from core.bootstrap import Core
from core.db.database import Database
from core.db.migrate import downgrade, upgrade
from core.db.models import User
from core.referrals.models import EARNED, PENDING
from core.referrals.service import Referrals
from tests.core.referrals.conftest import (
    MakeUser,
    alice_referring,
    pays_by_stars,
)

COLUMNS = "referred_id, referrer_id, via, status, reward, amount_minor, applied_minor, " \
          "currency, created_at, earned_at, earned_ref"


async def _rows(db: Database, columns: str = COLUMNS) -> list[tuple[Any, ...]]:
    """Ordered by referred_id, the purged's (NULL) last whatever the dialect's habit."""
    async with db.engine.connect() as conn:
        found = [tuple(row) for row in await conn.execute(
            text(f"SELECT {columns} FROM referrals"))]
    return sorted(found, key=lambda row: (row[0] is None, row[0] or 0))


async def _shape(db: Database) -> tuple[list[str], dict[str, bool], str | None]:
    """(primary key columns, column -> nullable, ON DELETE of referred_id's foreign key)."""
    def look(sync_conn: Any) -> tuple[list[str], dict[str, bool], str | None]:
        found = inspect(sync_conn)
        pk = found.get_pk_constraint("referrals")["constrained_columns"]
        nullable = {c["name"]: c["nullable"] for c in found.get_columns("referrals")}
        [fk] = [fk for fk in found.get_foreign_keys("referrals")
                if fk["constrained_columns"] == ["referred_id"]]
        return pk, nullable, (fk.get("options") or {}).get("ondelete")

    async with db.engine.connect() as conn:
        return await conn.run_sync(look)


async def test_referrals_keep_their_rows_down_and_up_again(
        core: Core, database_url: str, referrals: Referrals, make_user: MakeUser):
    _, (bea, cal, dan) = await alice_referring(core, referrals, make_user,
                                               "bea", "cal", "dan")
    for person in (bea, dan):
        await pays_by_stars(core, person, f"charge-{person.id}")
    async with core.db.session() as session:  # what purging dan leaves of his referral
        await session.execute(delete(User).where(User.id == dan.id))
    await core.db.dispose()
    db = Database(database_url)
    try:
        before = await _rows(db)
        assert [(r[0], r[3]) for r in before] == [
            (bea.id, EARNED), (cal.id, PENDING), (None, EARNED)]

        await downgrade(db, "0020")
        assert await _rows(db) == [r for r in before if r[0] is not None]
        pk, nullable, ondelete = await _shape(db)
        assert (pk, nullable["referred_id"], ondelete) == (["referred_id"], False, "CASCADE")
        assert "id" not in nullable

        await upgrade(db)
        assert await _rows(db) == [r for r in before if r[0] is not None]
        assert await _rows(db, "referred_id, id") == [(bea.id, bea.id), (cal.id, cal.id)]
        pk, nullable, ondelete = await _shape(db)
        assert (pk, nullable["referred_id"], ondelete) == (["id"], True, "SET NULL")
        async with db.engine.begin() as conn:  # a new row is numbered after the largest
            new_id = await conn.scalar(text(
                "INSERT INTO referrals (referred_id, referrer_id, via, status, reward, "
                "amount_minor, applied_minor, currency, created_at) SELECT NULL, "
                "referrer_id, via, status, reward, amount_minor, applied_minor, currency, "
                "created_at FROM referrals WHERE referred_id = :bea RETURNING id"),
                {"bea": bea.id})
        assert new_id == max(bea.id, cal.id) + 1
    finally:
        await db.dispose()
