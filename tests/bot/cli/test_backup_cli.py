"""`thottopilot backup` and `thottopilot restore` at the command line: what they print
and their exit codes."""

from __future__ import annotations

import asyncio
import stat

import pytest

from bot.cli import main
from tests.bot.cli.test_startup_imports import HEAVY, loaded_after


@pytest.fixture
def configured(monkeypatch, tmp_path, database_url):
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("THOTTOPILOT_DATABASE__URL", database_url)
    monkeypatch.setenv("THOTTOPILOT_SECURITY__SECRET_KEY", "cli-test-secret-of-at-least-32-chars")
    return tmp_path


async def thottopilot(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


async def test_backup_then_restore_round_trips_at_the_command_line(configured, capsys):
    assert await thottopilot("backup", "--to", str(configured / "kept")) == 0
    out = capsys.readouterr().out
    [made] = list((configured / "kept").iterdir())
    assert f"database to {made} (" in out
    assert stat.S_IMODE(made.stat().st_mode) == 0o600

    assert await thottopilot("restore", str(made)) == 0

    out = capsys.readouterr().out
    assert f"restored {made} (schema " in out
    assert "-before-restore." in out


async def test_restoring_a_file_that_is_no_backup_exits_1_with_one_line(configured, capsys):
    junk = configured / "notes.txt"
    junk.write_text("hello")
    assert await thottopilot("restore", str(junk)) == 1
    err = capsys.readouterr().err
    assert err == f"thottopilot: restore failed: {junk} is not a ThottoPilot backup " \
        "(neither an SQLite file nor a pg_dump archive)\n"


async def test_force_warns_that_nothing_checks_for_a_running_service(configured, capsys):
    assert await thottopilot("backup") == 0
    [made] = list((configured / "data" / "backups").iterdir())
    capsys.readouterr()
    assert await thottopilot("restore", "--force", str(made)) == 0
    assert capsys.readouterr().err.startswith("warning: --force: not checking whether serve")


async def test_a_backup_that_cannot_be_made_exits_1_with_the_reason(monkeypatch, tmp_path,
                                                                    capsys):
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(tmp_path / "data"))
    assert await thottopilot("backup") == 1
    err = capsys.readouterr().err
    assert err.startswith("thottopilot: backup failed: there is no database at ")
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["check", "backup", "restore"])
def test_the_ops_commands_help_loads_no_heavy_sdk(command, tmp_path):
    loaded = loaded_after(f"""
        import contextlib, io
        import bot.cli
        with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
            bot.cli.main(["{command}", "--help"])
    """, tmp_path)
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
