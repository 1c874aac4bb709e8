"""`take_backup`: a private, timestamped, consistent copy, written whole or not at all."""

from __future__ import annotations

import asyncio
import sqlite3
import stat

import pytest

from core.bootstrap import open_core
from core.ops.backup import sqlite_path, take_backup
from core.ops.errors import OpsError
from core.ops.files import latest, sniff
from core.users import Who


async def test_a_backup_is_private_timestamped_and_in_the_data_dirs_backups(settings, clock):
    async with open_core(settings, clock=clock):
        pass
    made = await take_backup(settings, clock.now())

    assert made.path.parent == settings.app.data_dir / "backups"
    assert made.path.name.startswith("thottopilot-20261125T120000Z")
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    assert sniff(made.path) == made.dialect
    assert latest(made.path.parent) == made


async def test_two_backups_in_one_second_both_keep_their_own_file(settings, clock):
    async with open_core(settings, clock=clock):
        pass
    first = await take_backup(settings, clock.now())
    second = await take_backup(settings, clock.now())
    assert first.path != second.path
    assert first.path.is_file()
    assert second.path.is_file()


async def test_a_backup_taken_while_the_app_writes_is_a_consistent_snapshot(
        make_settings, clock, tmp_path):
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'busy.db'}")
    async with open_core(settings, clock=clock) as core:
        stop, going = asyncio.Event(), asyncio.Event()

        async def write() -> int:
            n = 0
            while not stop.is_set():
                async with core.db.session() as session:
                    await core.users.get_or_create(session, Who("console", f"u{n}"))
                n += 1
                if n == 20:
                    going.set()
                await asyncio.sleep(0)
            return n

        writer = asyncio.create_task(write())
        await asyncio.wait_for(going.wait(), 60)
        made = await take_backup(settings, clock.now())
        stop.set()
        written = await writer

    with sqlite3.connect(made.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = {row[0] for row in copy.execute(
            "SELECT external_id FROM identities WHERE transport = 'console'")}
    # Whatever it caught, it caught whole commits in order: a prefix of the writes.
    assert ids == {f"u{i}" for i in range(len(ids))}
    assert 20 <= len(ids) <= written


async def test_nothing_is_left_behind_when_there_is_nothing_to_back_up(make_settings, clock,
                                                                         tmp_path):
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'never-made.db'}")
    with pytest.raises(OpsError, match=r"no database at .*thottopilot migrate"):
        await take_backup(settings, clock.now())
    assert not sqlite_path(settings.database_url).exists()
    assert list((settings.app.data_dir / "backups").iterdir()) == []


async def test_without_pg_dump_the_message_says_what_to_install(settings, clock, monkeypatch):
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("pg_dump is for PostgreSQL")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(OpsError, match=r"pg_dump was not found.*postgresql-client"):
        await take_backup(settings, clock.now())
    assert list((settings.app.data_dir / "backups").iterdir()) == []
