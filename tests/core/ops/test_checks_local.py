"""The checks of what this machine holds: each failure names the problem and its fix."""

from __future__ import annotations

import sqlite3

from core.bootstrap import open_core
from core.ops.checks import Status
from core.ops.files import SUFFIXES
from tests.bot.cli.checks_instance import closed_port
from tests.core.ops.checking import NOW, check


async def test_a_schema_behind_this_version_fails_and_says_migrate(make_settings, tmp_path):
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    async with open_core(settings):
        pass
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")

    result = await check("database", settings)

    assert result.status is Status.FAIL
    assert result.detail.startswith("the schema is at 0001, this version needs")
    assert result.hint == "run `thottopilot migrate`"


async def test_a_missing_sqlite_file_fails_and_is_not_created(make_settings, tmp_path):
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'none.db'}")
    result = await check("database", settings)
    assert result.status is Status.FAIL
    assert "no database file at" in result.detail
    assert not (tmp_path / "none.db").exists()


async def test_a_database_url_that_is_no_url_fails_with_the_shapes_it_takes(make_settings):
    result = await check("database", make_settings("not a url"))
    assert result.status is Status.FAIL
    assert result.hint.startswith("use sqlite+aiosqlite:///PATH or postgresql+asyncpg://")


async def test_a_current_schema_passes(settings):
    result = await check("database", settings)
    assert result.status is Status.OK
    assert result.detail.endswith("is current")


async def test_without_redis_the_redis_check_is_not_configured(make_settings):
    result = await check("Redis", make_settings())
    assert result.status is Status.SKIP


async def test_an_unreachable_redis_fails_redis_and_the_rate_limiter(make_settings):
    settings = make_settings(redis={"url": f"redis://127.0.0.1:{closed_port()}/0"},
                             ratelimit={"enabled": True})
    redis = await check("Redis", settings)
    limiter = await check("rate limiter", settings)
    assert redis.status is Status.FAIL
    assert "is Redis running" in redis.hint
    assert limiter.status is Status.FAIL
    assert "requests would go through unlimited" in limiter.detail


async def test_the_rate_limiter_limits_on_redis(make_settings, redis_section):
    settings = make_settings(redis=redis_section, ratelimit={"enabled": True})
    result = await check("rate limiter", settings)
    assert result.status is Status.OK
    assert "Redis: 2 of 3 test hits allowed" in result.detail


async def test_request_budgets_turned_off_are_a_warning(make_settings):
    result = await check("rate limiter", make_settings(ratelimit={"enabled": False}))
    assert result.status is Status.WARN
    assert result.hint == "turn it on before launch"


async def test_a_data_dir_others_can_read_is_a_warning(make_settings, tmp_path):
    settings = make_settings()
    settings.app.data_dir.mkdir(mode=0o755)
    settings.app.data_dir.chmod(0o755)
    result = await check("data directory", settings)
    assert result.status is Status.WARN
    assert result.hint.startswith(f"chmod 700 {settings.app.data_dir}")


async def test_no_backup_at_all_fails(make_settings):
    result = await check("backups", make_settings())
    assert result.status is Status.FAIL
    assert result.hint.startswith("run `thottopilot backup`")


async def test_a_backup_of_another_kind_of_database_does_not_count(make_settings):
    settings = make_settings()
    backups = settings.app.data_dir / "backups"
    backups.mkdir(parents=True)
    (backups / f"thottopilot-20261125T110000Z{SUFFIXES['postgresql']}").write_bytes(b"x")
    result = await check("backups", settings)
    assert result.status is Status.FAIL
    assert result.detail.startswith("no backup of the SQLite database")


async def test_a_backup_within_the_age_limit_passes(make_settings):
    settings = make_settings(ops={"backup_max_age_hours": 2})
    backups = settings.app.data_dir / "backups"
    backups.mkdir(parents=True)
    (backups / "thottopilot-20261125T103000Z.sqlite3").write_bytes(b"x")
    result = await check("backups", settings, NOW)
    assert result.status is Status.OK
    assert result.detail.endswith("is 1.5 h old")
