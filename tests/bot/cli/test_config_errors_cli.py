"""Configuration mistakes stop every command with exit 2 and one line: the problem and
the fix, never a traceback."""

from __future__ import annotations

import pytest

from bot.cli import main


def _one_line_exit_2(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main([*argv, "users"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    [line] = captured.err.splitlines()
    assert line.startswith("thottopilot: ")
    return line


def test_non_utf8_toml(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_bytes(b"[app]\nlog_level = \"\xff\xfe\"\n")
    line = _one_line_exit_2(capsys, "--config", str(path))
    assert line.endswith("is not UTF-8 text (byte 0xff on line 2); save it as UTF-8")


def test_config_pointing_at_a_directory(tmp_path, capsys):
    line = _one_line_exit_2(capsys, "--config", str(tmp_path))
    assert f"{tmp_path} is a directory; give the path of the TOML file itself" in line


def test_malformed_json_in_an_env_list(monkeypatch, capsys):
    monkeypatch.setenv("THOTTOPILOT_AI__FALLBACK", "not json")
    line = _one_line_exit_2(capsys)
    assert "THOTTOPILOT_AI__FALLBACK is not valid JSON" in line
    assert "THOTTOPILOT_AI__FALLBACK='[" in line


def test_a_short_secret_key(monkeypatch, capsys):
    monkeypatch.setenv("THOTTOPILOT_SECURITY__SECRET_KEY", "too-short")
    line = _one_line_exit_2(capsys)
    assert "security.secret_key: must be at least 32 characters; make one with:" in line
    assert "too-short" not in line


def test_an_unknown_log_level(monkeypatch, capsys):
    monkeypatch.setenv("THOTTOPILOT_APP__LOG_LEVEL", "chatty")
    line = _one_line_exit_2(capsys)
    assert "app.log_level: use one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in line
