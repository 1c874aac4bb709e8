"""A database the operator must fix: one line naming the problem and the fix, exit 2."""

from __future__ import annotations

import socket
import sqlite3

import pytest

from bot.cli import main


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = [ln for ln in err.splitlines() if ln.startswith("thottopilot:")]
    return line


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(tmp_path))
    return tmp_path


def test_an_unknown_database_url_scheme(data_dir, monkeypatch, capsys):
    monkeypatch.setenv("THOTTOPILOT_DATABASE__URL", "mysql://me@localhost/db")
    assert main(["migrate"]) == 2
    line = _one_line(capsys)
    assert "'mysql'" in line
    assert "database.url" in line


def test_postgresql_that_does_not_answer(data_dir, monkeypatch, capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("THOTTOPILOT_DATABASE__URL",
                       f"postgresql+asyncpg://postgres:hunter2@127.0.0.1:{port}/tp")
    assert main(["migrate"]) == 2
    line = _one_line(capsys)
    assert "cannot reach the database" in line
    assert "PostgreSQL" in line
    assert "hunter2" not in line


def test_a_data_dir_that_cannot_be_created(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(blocker / "data"))
    assert main(["migrate"]) == 2
    line = _one_line(capsys)
    assert "cannot create the data directory" in line
    assert "THOTTOPILOT_APP__DATA_DIR" in line


def test_a_corrupt_sqlite_file(data_dir, capsys):
    (data_dir / "thottopilot.db").write_bytes(b"this is no database\n" * 500)
    assert main(["migrate"]) == 2
    assert "damaged or not a SQLite database" in _one_line(capsys)


def test_a_database_with_somebody_elses_tables(data_dir, capsys):
    with sqlite3.connect(data_dir / "thottopilot.db") as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    assert main(["migrate"]) == 2
    assert "not ThottoPilot's" in _one_line(capsys)


def test_a_database_from_a_newer_version(data_dir, capsys):
    assert main(["migrate"]) == 0
    with sqlite3.connect(data_dir / "thottopilot.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    capsys.readouterr()
    assert main(["migrate"]) == 2
    line = _one_line(capsys)
    assert "newer ThottoPilot" in line
    assert "9999" in line


def test_serve_refuses_the_same_way(data_dir, capsys):
    (data_dir / "thottopilot.db").write_bytes(b"garbage" * 100)
    assert main(["serve"]) == 2
    assert "damaged" in _one_line(capsys)
