"""One Alembic chain, on SQLite and PostgreSQL: up, down, up, and matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from core.db.database import Database
from core.db.migrate import downgrade, upgrade
from core.db.registry import all_metadata


async def test_migrations_create_every_table(database_url):
    db = Database(database_url)
    try:
        await upgrade(db)
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert set(all_metadata().tables) <= tables
    finally:
        await db.dispose()


async def test_migrations_go_down_and_up_again(database_url):
    db = Database(database_url)
    try:
        await upgrade(db)
        await downgrade(db, "base")
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert not set(all_metadata().tables) & tables
        await upgrade(db)
    finally:
        await db.dispose()


async def test_schema_after_migrations_matches_the_models(database_url):
    db = Database(database_url)
    try:
        await upgrade(db)

        def diff(sync_conn):
            ctx = MigrationContext.configure(sync_conn, opts={"compare_type": False})
            return compare_metadata(ctx, all_metadata())

        async with db.engine.connect() as conn:
            changes = await conn.run_sync(diff)
        assert changes == []
    finally:
        await db.dispose()
