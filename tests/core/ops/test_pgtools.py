"""pg_dump/pg_restore get the database from the configured URL, but the password only
through their environment: a command line is readable by every local user."""

from __future__ import annotations

from core.ops.pgtools import libpq_target


def test_the_password_goes_to_the_environment_not_the_command_line():
    dsn, env = libpq_target("postgresql+asyncpg://tp:s3cret@db.internal:5433/thotto")
    assert dsn == "postgresql://tp@db.internal:5433/thotto"
    assert env["PGPASSWORD"] == "s3cret"


def test_asyncpgs_ssl_option_becomes_libpqs_sslmode():
    dsn, _ = libpq_target("postgresql+asyncpg://tp@db/thotto?ssl=require")
    assert dsn == "postgresql://tp@db/thotto?sslmode=require"
