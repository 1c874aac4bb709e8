"""A row in every table that holds a person's data, made from the schema itself, so a
new table is seeded (and its export and purge checked) without anyone editing this."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Integer, insert

from core.bootstrap import Core
from core.db.registry import all_metadata
from core.privacy.export import COVERED, TIED, USERS


def sample(column: Column[Any], tag: str, now: datetime) -> Any:
    kind: type = dict
    for sql_type in (column.type, getattr(column.type, "impl", None)):
        try:
            found = sql_type.python_type  # type: ignore[union-attr]
        except (NotImplementedError, AttributeError):
            continue
        if found is not object:  # a TypeDecorator's own answer; its impl knows
            kind = found
            break
    if kind is bool:
        return True
    if kind is int:
        return 7
    if kind is float:
        return 0.5
    if kind is Decimal:
        return Decimal("1.25")
    if kind is datetime:
        return now
    if kind is date:
        return now.date()
    if kind is str and column.name == "sha256":  # a stored photo's content hash
        return hashlib.sha256(tag.encode()).hexdigest()
    if kind is str:
        length = getattr(column.type, "length", None) or 200
        return f"{tag}-{column.table.name}-{column.name}"[:length]
    if kind is bytes:
        return f"{tag}-bytes".encode()
    if kind is list:
        return [tag]
    return {"tag": tag}


def tie(table: str, made: dict[str, dict[str, Any]], user_id: int) -> dict[str, Any]:
    """What makes a row of a `TIED` table the person's: a finished update of the chat
    their seeded identity names; an error report whose latest occurrence names them."""
    if table == "inbound_updates":
        identity = made["identities"]
        return {"transport": identity["transport"], "chat_key": identity["external_id"],
                "status": "done"}
    if table == "error_reports":
        return {"context": {"user_id": user_id}}
    raise AssertionError(f"how is a row of {table} someone's? say so here")


async def seed_personal_rows(core: Core, user_id: int, tag: str) -> dict[str, dict[str, Any]]:
    """One row of `user_id`'s in every covered table (parents first); returns the
    values each row was given, by table. String values all contain `tag`."""
    made: dict[str, dict[str, Any]] = {USERS: {"id": user_id}}
    now = core.clock.now()
    async with core.db.session() as session:
        tables = all_metadata().sorted_tables  # tied tables last: they read the others
        for table in sorted(tables, key=lambda t: t.name in TIED):
            if table.name not in COVERED or table.name in made:
                continue
            values: dict[str, Any] = {}
            for column in table.columns:
                fks = list(column.foreign_keys)
                if fks:
                    values[column.name] = made[fks[0].column.table.name][fks[0].column.name]
                elif column.name == "user_id":
                    values[column.name] = user_id
                elif column.primary_key and isinstance(column.type, Integer) \
                        and len(table.primary_key.columns) == 1:
                    if column.autoincrement is not False:
                        continue  # the database numbers it
                    values[column.name] = user_id * 1000 + 1  # kept ids (the archive)
                else:
                    values[column.name] = sample(column, tag, now)
            if table.name in TIED:
                values.update(tie(table.name, made, user_id))
            result = await session.execute(insert(table).values(**values))
            keys = dict(zip([c.name for c in table.primary_key.columns],
                            result.inserted_primary_key or (), strict=False))
            made[table.name] = {**values, **keys}
    return made
