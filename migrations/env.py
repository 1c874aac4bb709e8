"""Alembic environment: works on SQLite (batch mode) and PostgreSQL alike.

Normally invoked by `core.db.migrate` with an open connection; when run through the
`alembic` CLI it opens its own async engine from `sqlalchemy.url`.
"""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from core.db.registry import all_metadata

config = context.config
target_metadata = all_metadata()


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(config.get_main_option("sqlalchemy.url"))
    async with engine.begin() as conn:
        await conn.run_sync(_configure)
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
else:
    asyncio.run(_run_async())
