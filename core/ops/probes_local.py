"""Checks of what this machine holds: database, Redis, data directory, rate limiter,
backups (core.ops.checks runs them)."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from core.db.database import Database
from core.db.errors import DatabaseSetupError
from core.db.migrate import known_revisions
from core.ops.backup import dialect_of, sqlite_path
from core.ops.checks import Context, Result, fail, ok, skip, warn
from core.ops.files import backup_dir, latest

MIGRATE = "run `thottopilot migrate`"
BACKUP = "run `thottopilot backup`, and schedule it daily (cron or a systemd timer)"
MIN_FREE_BYTES = 1 << 30


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0][:200]


async def database(ctx: Context) -> Result:
    url = ctx.settings.database_url
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return fail("database.url is not a database URL",
                    "use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB")
    if dialect_of(url) == "sqlite" and not sqlite_path(url).is_file():
        return fail(f"no database file at {sqlite_path(url)}", MIGRATE)
    try:
        db = Database(url)
    except DatabaseSetupError as exc:
        return fail(str(exc), "fix database.url")
    try:
        async with db.engine.connect() as conn:
            has_table = await conn.run_sync(
                lambda sync: inspect(sync).has_table("alembic_version"))
            stamped: set[str] = set()
            if has_table:
                rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
                stamped = {str(row[0]) for row in rows}
    except Exception as exc:
        return fail(f"cannot reach {shown}: {_first_line(exc)}",
                    "is the database running, and is database.url right?")
    finally:
        await db.dispose()
    known, heads = known_revisions()
    if not stamped:
        return fail(f"{shown} has no ThottoPilot schema yet", MIGRATE)
    if stamped - known:
        return fail(f"the schema ({', '.join(sorted(stamped))}) is newer than this "
                    "ThottoPilot", "upgrade ThottoPilot")
    if stamped != heads:
        return fail(f"the schema is at {', '.join(sorted(stamped))}, this version needs "
                    f"{', '.join(sorted(heads))}", MIGRATE)
    return ok(f"{db.dialect} answers, schema {', '.join(sorted(stamped))} is current")


async def redis(ctx: Context) -> Result:
    url = ctx.settings.redis.url
    if not url:
        return skip("not configured (rate limits and replay guards hold per process)")
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(url, socket_connect_timeout=ctx.timeout,
                                     socket_timeout=ctx.timeout)
    try:
        await client.ping()
        info = await client.info("server")
    except Exception as exc:
        return fail(f"no answer from {_redis_where(url)}: {_first_line(exc)}",
                    "is Redis running, and is [redis] url right (password, db)?")
    finally:
        await client.aclose()
    return ok(f"{_redis_where(url)} answers (Redis {info.get('redis_version', '?')})")


def _redis_where(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.rsplit("@", 1)[-1]  # never the password


async def data_dir(ctx: Context) -> Result:
    path = ctx.settings.app.data_dir
    if not path.exists():
        parent = next((p for p in path.absolute().parents if p.exists()), Path("/"))
        if parent.is_dir() and os.access(parent, os.W_OK | os.X_OK):
            return ok(f"{path} will be created at start")
        return fail(f"{path} does not exist and {parent} is not writable",
                    "create it (mode 0700) or set app.data_dir")
    if not path.is_dir():
        return fail(f"{path} is not a directory", "set app.data_dir to a directory")
    probe = path / f".check-{secrets.token_hex(6)}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, b"ok")
            os.fsync(fd)
        finally:
            os.close(fd)
            probe.unlink(missing_ok=True)
    except OSError as exc:
        return fail(f"cannot write in {path}: {exc.strerror or exc}",
                    "give the service's user write access to it, or set app.data_dir")
    free = shutil.disk_usage(path).free
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        return warn(f"{path} is writable but open to others (mode {mode:04o})",
                    f"chmod 700 {path}: it holds the secret key and tokens")
    if free < MIN_FREE_BYTES:
        return warn(f"{path} is writable but only {free / 2**20:.0f} MiB are free",
                    "make room: uploads, media and backups live there")
    return ok(f"{path} is writable ({free / 2**30:.1f} GiB free)")


async def rate_limiter(ctx: Context) -> Result:
    from core.ops.limiter import probe_limiter

    if not ctx.settings.ratelimit.enabled:
        return warn("off (ratelimit.enabled = false)", "turn it on before launch")
    return await probe_limiter(ctx.settings)


async def backups(ctx: Context) -> Result:
    directory = backup_dir(ctx.settings)
    dialect = dialect_of(ctx.settings.database_url)
    newest = latest(directory, dialect)
    if newest is None:
        kind = "SQLite" if dialect == "sqlite" else "PostgreSQL"
        return fail(f"no backup of the {kind} database in {directory}", BACKUP)
    hours = (ctx.now - newest.taken_at).total_seconds() / 3600
    limit = ctx.settings.ops.backup_max_age_hours
    if hours > limit:
        return fail(f"the newest backup, {newest.path.name}, is {hours:.0f} h old "
                    f"(more than {limit:g} h)", BACKUP)
    return ok(f"the newest backup, {newest.path.name}, is {max(hours, 0):.1f} h old")
