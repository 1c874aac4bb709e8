"""`thottopilot demo-data` writes made-up creators only when asked with --yes."""

from __future__ import annotations

from bot.cli import main


def test_demo_data_without_yes_explains_and_changes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(tmp_path / "data"))
    assert main(["demo-data"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["demo-data", "--yes", "--users", "5"]) == 0
    assert "Seeded 5 demo creators" in capsys.readouterr().out


def test_demo_data_twice_says_it_is_already_there(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(tmp_path / "data"))
    assert main(["demo-data", "--yes", "--users", "3"]) == 0
    assert main(["demo-data", "--yes", "--users", "3"]) == 0
    assert "already there" in capsys.readouterr().out
