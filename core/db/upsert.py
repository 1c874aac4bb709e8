"""The INSERT that can say ON CONFLICT DO NOTHING/UPDATE on the session's own database:
PostgreSQL's and SQLite's spell it the same way but are separate constructs."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession) -> Any:
    """`postgresql.insert` or `sqlite.insert`, whichever the session is bound to."""
    dialect = session.bind.dialect.name if session.bind is not None else ""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert
