"""Hostile configuration: files, environment and databases an operator gets wrong.

Each case runs the real command line in-process (`bot.cli main([... "users"])`): it must
exit 2 with exactly one line on stderr, starting `thottopilot: ` and naming the problem,
nothing on stdout, never a traceback (the conftest also fails a case on any ERROR
traceback in the logs), and no secret from the configuration in that line. The
database cases also run as real processes, where logging really writes to stderr, to
prove the one line is all the operator sees.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).parents[2]
CEILING = 120  # seconds, for the real processes: a ceiling, not a speed claim
SECRET = "hostile-config-secret-value-0123456789abcdef"


@dataclass
class Setup:
    """The folder a case works in; a case returns the extra CLI args and env to use."""

    tmp: Path

    def toml(self, data: bytes) -> list[str]:
        path = self.tmp / "config.toml"
        path.write_bytes(data)
        return ["--config", str(path)]


Prepare = Callable[[Setup], tuple[list[str], dict[str, str]]]


@dataclass(frozen=True)
class Case:
    id: str
    prepare: Prepare
    says: str
    database: bool = False  # fails when the database is opened (run as a process too)


def _newer_database(s: Setup) -> tuple[list[str], dict[str, str]]:
    assert main(["migrate"]) == 0
    with sqlite3.connect(s.tmp / "thottopilot.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    return [], {}


def _foreign_schema(s: Setup) -> tuple[list[str], dict[str, str]]:
    with sqlite3.connect(s.tmp / "thottopilot.db") as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    return [], {}


def _corrupt(s: Setup) -> tuple[list[str], dict[str, str]]:
    (s.tmp / "thottopilot.db").write_bytes(b"this is no database\n" * 500)
    return [], {}


def _truncated_sqlite(s: Setup) -> tuple[list[str], dict[str, str]]:
    assert main(["migrate"]) == 0
    db = s.tmp / "thottopilot.db"
    db.write_bytes(db.read_bytes()[:3000])  # a valid header, then nothing
    return [], {}


def _data_dir_under_a_file(s: Setup) -> tuple[list[str], dict[str, str]]:
    (s.tmp / "a-file").write_text("not a directory")
    return [], {"THOTTOPILOT_APP__DATA_DIR": str(s.tmp / "a-file" / "data")}


def _data_dir_is_a_file(s: Setup) -> tuple[list[str], dict[str, str]]:
    (s.tmp / "data").write_text("not a directory")
    return [], {"THOTTOPILOT_APP__DATA_DIR": str(s.tmp / "data")}


def _env(**values: str) -> Prepare:
    return lambda s: ([], values)


def _toml(data: bytes) -> Prepare:
    return lambda s: (s.toml(data), {})


CASES = [
    # -- the config file ------------------------------------------------------------------
    Case("non-utf8-toml", _toml(b'[app]\nlog_level = "\xff\xfe"\n'), "is not UTF-8 text"),
    Case("utf16-toml", _toml('[app]\nlog_level = "INFO"\n'.encode("utf-16")),
         "is not UTF-8 text"),
    Case("config-is-a-directory", lambda s: (["--config", str(s.tmp)], {}), "is a directory"),
    Case("config-missing", lambda s: (["--config", str(s.tmp / "nope.toml")], {}),
         "config file not found"),
    Case("config-from-env-missing", _env(THOTTOPILOT_CONFIG="/nonexistent/config.toml"),
         "config file not found"),
    Case("malformed-toml", _toml(b"[app\nlog_level = INFO\n"), "is not valid TOML"),
    Case("toml-with-a-nul", _toml(b'[app]\nlog_level = "IN\x00FO"\n'), "is not valid TOML"),
    Case("toml-section-is-a-string", _toml(b'web = "yes"\n'), "invalid configuration: web"),
    Case("toml-section-is-a-string-while-env-sets-a-key", _toml(b'app = "yes"\n'),
         "invalid configuration: app"),  # the suite sets THOTTOPILOT_APP__DATA_DIR
    Case("toml-short-secret", _toml(b'[security]\nsecret_key = "short-' + SECRET[:8].encode()
                                    + b'"\n'), "security.secret_key"),
    # -- the environment --------------------------------------------------------------
    Case("bad-json-env-list", _env(THOTTOPILOT_AI__FALLBACK="not json"),
         "THOTTOPILOT_AI__FALLBACK is not valid JSON"),
    Case("json-env-list-is-an-object", _env(THOTTOPILOT_AI__FALLBACK='{"a": 1}'),
         "ai.fallback"),
    Case("port-not-a-number", _env(THOTTOPILOT_WEB__PORT="notaport"), "web.port"),
    Case("port-out-of-range", _env(THOTTOPILOT_WEB__PORT="70000"), "web.port"),
    Case("port-negative", _env(THOTTOPILOT_WEB__PORT="-1"), "web.port"),
    Case("short-secret-key", _env(THOTTOPILOT_SECURITY__SECRET_KEY="short-" + SECRET[:8]),
         "security.secret_key: must be at least 32 characters"),
    Case("unknown-log-level", _env(THOTTOPILOT_APP__LOG_LEVEL="chatty"), "app.log_level"),
    Case("log-level-with-escapes", _env(THOTTOPILOT_APP__LOG_LEVEL="\x1b[2J"),
         "app.log_level"),
    # -- the database ------------------------------------------------------------------
    Case("unknown-database-scheme", _env(THOTTOPILOT_DATABASE__URL="mysql://me@localhost/db"),
         "'mysql'", database=True),
    Case("database-url-garbage", _env(THOTTOPILOT_DATABASE__URL="::not a url::"),
         "database", database=True),
    Case("database-url-with-a-password-and-a-bad-scheme",
         _env(THOTTOPILOT_DATABASE__URL=f"oracle://admin:{SECRET}@db/x"), "'oracle'",
         database=True),
    Case("data-dir-under-a-file", _data_dir_under_a_file, "cannot create the data directory",
         database=True),
    Case("data-dir-is-a-file", _data_dir_is_a_file, "data directory", database=True),
    Case("corrupt-sqlite", _corrupt, "damaged or not a SQLite database", database=True),
    Case("truncated-sqlite", _truncated_sqlite, "damaged", database=True),
    Case("foreign-schema", _foreign_schema, "not ThottoPilot's", database=True),
    Case("database-from-a-newer-version", _newer_database, "newer ThottoPilot",
         database=True),
]


# Found by this suite; the assertions stay as they are until the product is fixed.
KNOWN_FAILURES: dict[str, str] = {}  # case id -> why it fails today (strict xfail)


def _param(case: Case) -> object:
    marks = ([pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[case.id])]
             if case.id in KNOWN_FAILURES else [])
    return pytest.param(case, id=case.id, marks=marks)


@pytest.fixture
def setup(tmp_path, monkeypatch) -> Setup:
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(tmp_path))
    return Setup(tmp_path)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_configuration_stops_with_one_line(case: Case, setup, monkeypatch, capsys,
                                                    log_watch):
    log_watch.forbid(SECRET)
    args, env = case.prepare(setup)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    capsys.readouterr()
    assert main([*args, "users"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith("thottopilot: ")
    assert case.says in line
    assert SECRET not in line
    assert "\x1b" not in line
    log_watch.assert_clean()


DATABASE = [c for c in CASES if c.database]


@pytest.mark.parametrize("case", DATABASE, ids=[c.id for c in DATABASE])
def test_a_real_process_prints_only_that_line(case: Case, setup, monkeypatch):
    args, env = case.prepare(setup)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    clean.update({"THOTTOPILOT_APP__DATA_DIR": str(setup.tmp), **env})
    proc = subprocess.run([sys.executable, "-m", "bot.cli", *args, "users"], cwd=ROOT,
                          env=clean, capture_output=True, text=True, timeout=CEILING,
                          check=False)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith("thottopilot: ")
    assert case.says in line
    assert SECRET not in proc.stderr
