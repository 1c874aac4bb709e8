"""`thottopilot check`: one line per pre-launch check, exit 0 on a configured
instance (warnings allowed), exit 1 with a fix under every failure on a broken one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from core.bootstrap import open_core
from core.settings import load_settings
from tests.bot.cli.checks_instance import METRICS_TOKEN, Instance, closed_port
from tests.fakes.llm import FakeLLM
from tests.fakes.reddit_tls import make_cert, server_context
from tests.fakes.stripe import stripe_section
from web.app import init_app

NAMES = ("database", "Redis", "Stripe", "AI providers", "data directory", "rate limiter",
         "public URL", "backups", "monitoring")


@pytest.fixture
async def tls_site(tmp_path: Path) -> AsyncIterator[tuple[int, Path]]:
    """An https server on 127.0.0.1 whose certificate only the given CA file trusts."""
    cert, key = make_cert(tmp_path / "tls")

    async def hang_up(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0,
                                        ssl=server_context(cert, key))
    yield server.sockets[0].getsockname()[1], cert
    server.close()
    await server.wait_closed()


@pytest.fixture
async def instance(tmp_path, database_url, fake_stripe, redis_section, tls_site
                   ) -> AsyncIterator[Instance]:
    llm = FakeLLM()
    await llm.start()
    port, ca_file = tls_site
    found = Instance(tmp_path, {
        "app": {"data_dir": str(tmp_path / "data")},
        "security": {"secret_key": "check-spec-secret-of-at-least-32-chars"},
        "database": {"url": database_url},
        "web": {"public_url": f"https://127.0.0.1:{port}"},
        "redis": redis_section,
        "stripe": stripe_section(fake_stripe),
        "ai": {"provider": "openai", "base_url": llm.openai_base_url, "api_key": "sk-fake",
               "model": "gpt-4o-mini", "fallback": ["anthropic", "offline"],
               "endpoints": {"anthropic": {"base_url": llm.url, "api_key": "ak-fake"}}},
        "monitoring": {"metrics_token": METRICS_TOKEN},
        # a ceiling for a loaded machine (importing the AI SDKs alone can take
        # seconds there), not the 10 s a live check waits for an answer
        "ops": {"ca_file": str(ca_file), "cert_warn_days": 0, "check_timeout_seconds": 60},
    })
    async with open_core(load_settings(found.config())) as core:
        server = TestServer(init_app(core), host="127.0.0.1")
        await server.start_server()
        found.sections["webhooks"] = {"internal_url": f"http://127.0.0.1:{server.port}"}
        try:
            yield found
        finally:
            await server.close()
            await llm.close()


def lines_of(out: str) -> dict[str, str]:
    """Each check's line (and its fix line, if any), by check name."""
    found: dict[str, str] = {}
    current = ""
    for line in out.splitlines():
        for name in NAMES:
            if line[2:].startswith(f"{name}:"):
                current = name
                found[name] = line
                break
        else:
            if line.startswith("    fix: ") and current:
                found[current] += "\n" + line
    return found


async def test_a_configured_instance_passes_every_check(instance, capsys):
    assert await instance.thottopilot("backup") == 0
    capsys.readouterr()

    assert await instance.thottopilot("check") == 0

    out = capsys.readouterr().out
    lines = lines_of(out)
    assert set(lines) == set(NAMES)
    for name in NAMES:
        if name == "Stripe":  # the fake's key is a test-mode key: a warning, not a failure
            assert lines[name].startswith("! Stripe: keys set and the API answers, but in "
                                          "test mode"), out
        else:
            assert lines[name].startswith("✓"), out
    assert "AI providers: openai answers (3 models); anthropic answers (3 models)" in out
    assert "answers with a trusted certificate" in lines["public URL"]
    assert "0 failed" in out


async def test_strict_fails_on_a_warning(instance, capsys):
    assert await instance.thottopilot("backup") == 0
    assert await instance.thottopilot("check", "--strict") == 1


def old_backups(directory: Path, suffix: str) -> Path:
    directory.mkdir()
    (directory / f"thottopilot-20200101T000000Z.{suffix}").write_bytes(b"old")
    return directory


BROKEN = {
    "wrong database URL": (
        "database", lambda i, port: {"database": {
            "url": f"postgresql+asyncpg://postgres@127.0.0.1:{port}/nothing"}},
        "✗ database: cannot reach postgresql+asyncpg://postgres@127.0.0.1:",
        "is the database running, and is database.url right?", {"backups"}),
    "unreachable Stripe": (
        "Stripe", lambda i, port: {"stripe": {"api_base": f"http://127.0.0.1:{port}"}},
        "✗ Stripe: no good answer from http://127.0.0.1:", "stripe.api_base", set()),
    "unwritable data directory": (
        "data directory", lambda i, port: {"app": {"data_dir": str(i.directory / "a-file")}},
        "✗ data directory:", "set app.data_dir", {"backups"}),
    "old backup": (
        "backups", lambda i, port: {"ops": {"backup_dir": str(old_backups(
            i.directory / "old", "pgdump" if "postgresql" in i.sections["database"]["url"]
            else "sqlite3"))}},
        "✗ backups: the newest backup, thottopilot-20200101T000000Z.", "thottopilot backup",
        set()),
}


@pytest.mark.parametrize("broken", BROKEN, ids=list(BROKEN))
async def test_a_broken_instance_fails_that_check_with_a_fix(instance, capsys, broken):
    name, change, line, fix, also = BROKEN[broken]
    assert await instance.thottopilot("backup") == 0
    (instance.directory / "a-file").write_text("not a directory")
    capsys.readouterr()

    assert await instance.thottopilot("check", **change(instance, closed_port())) == 1

    out = capsys.readouterr().out
    lines = lines_of(out)
    assert lines[name].startswith(line), out
    assert "\n    fix: " in lines[name]
    assert fix in lines[name].split("\n    fix: ")[1]
    failed = {n for n, text in lines.items() if text.startswith("✗")}
    assert name in failed, out
    assert failed <= {name, *also}, out  # e.g. no backups where the data dir cannot be
