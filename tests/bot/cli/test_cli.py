"""The `thottopilot` command: config errors, migrate, serve (as a real process)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from bot.cli import main

EVENT_CEILING = 120.0  # seconds; a ceiling for a loaded machine, not a speed target


def test_invalid_port_prints_one_line_and_exits_2(monkeypatch, capsys):
    monkeypatch.setenv("THOTTOPILOT_WEB__PORT", "notaport")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "web.port" in err
    assert "Traceback" not in err


def test_no_subcommand_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "serve" in capsys.readouterr().out


def test_migrate_creates_the_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(tmp_path))
    assert main(["migrate"]) == 0
    assert (tmp_path / "thottopilot.db").exists()
    assert "up to date" in capsys.readouterr().out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_healthz_and_stops_on_sigterm(tmp_path):
    """Waits for events (the port answering, the process exiting) with a generous
    ceiling; how fast they happen is measured in bench/startup, not asserted here."""
    port = _free_port()
    env = {
        **os.environ,
        "THOTTOPILOT_APP__DATA_DIR": str(tmp_path),
        "THOTTOPILOT_WEB__PORT": str(port),
    }
    env = {k: v for k, v in env.items() if not k.startswith("THOTTOPILOT_TEST")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        ceiling = time.monotonic() + EVENT_CEILING
        while body is None and proc.poll() is None and time.monotonic() < ceiling:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as resp:
                    body = resp.read().decode()
            except OSError:
                time.sleep(0.1)
        assert body is not None, "serve never answered /healthz"
        assert '"status": "ok"' in body
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=EVENT_CEILING) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_on_a_taken_port_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(tmp_path))
        monkeypatch.setenv("THOTTOPILOT_WEB__PORT", str(taken.getsockname()[1]))
        assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = [ln for ln in err.splitlines() if ln.startswith("thottopilot:")]
    assert "cannot listen on 127.0.0.1" in line
    assert "THOTTOPILOT_WEB__PORT" in line
