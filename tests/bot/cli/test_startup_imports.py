"""Start-up stays cheap: what `thottopilot` loads, checked in a fresh interpreter.

Heavy SDKs are imported where and when they are used (a provider when it writes, the
image stack with the first photo, Telegram when its token is set). These specs look at
`sys.modules` in a new process, so nothing an earlier test imported can hide a
regression, and they use no timing at all (speed is measured in bench/startup).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

HEAVY = ("openai", "anthropic", "asyncpraw", "asyncprawcore", "telegram", "discord",
         "stripe", "numpy", "scipy", "PIL", "imagehash", "cryptography")
# Serving needs the database and web stack, never a provider SDK or the image stack.
NOT_FOR_SERVING = ("openai", "anthropic", "telegram", "discord", "stripe", "numpy",
                   "scipy", "PIL", "imagehash")


def loaded_after(code: str, tmp_path: object) -> set[str]:
    """Run `code` in a fresh interpreter; return the top-level packages it loaded."""
    probe = textwrap.dedent(code) + textwrap.dedent("""
        import json, sys
        print("MODULES=" + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    env["THOTTOPILOT_APP__DATA_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    [line] = [ln for ln in done.stdout.splitlines() if ln.startswith("MODULES=")]
    return set(json.loads(line.removeprefix("MODULES=")))


def test_help_loads_no_heavy_sdk(tmp_path):
    loaded = loaded_after("""
        import contextlib, io
        import bot.cli
        with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
            bot.cli.main(["--help"])
    """, tmp_path)
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("command", ["serve", "migrate", "chat"])
def test_a_serving_commands_help_loads_no_heavy_sdk(command, tmp_path):
    loaded = loaded_after(f"""
        import contextlib, io
        import bot.cli
        with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
            bot.cli.main([{command!r}, "--help"])
    """, tmp_path)
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_core_with_defaults_and_the_web_app_load_no_provider_telegram_or_image_stack(
    tmp_path,
):
    loaded = loaded_after("""
        import asyncio
        from core.bootstrap import open_core
        from core.settings import load_settings
        from web.app import init_app

        async def build():
            async with open_core(load_settings()) as core:
                init_app(core)

        asyncio.run(build())
    """, tmp_path)
    assert "sqlalchemy" in loaded  # the probe really built the core
    assert loaded.isdisjoint(NOT_FOR_SERVING), sorted(loaded & set(NOT_FOR_SERVING))


def test_the_chat_dispatcher_loads_no_provider_telegram_or_image_stack(tmp_path):
    loaded = loaded_after("""
        import asyncio
        from bot.app import build_dispatcher
        from core.bootstrap import open_core
        from core.settings import load_settings

        async def build():
            async with open_core(load_settings()) as core:
                build_dispatcher(core)

        asyncio.run(build())
    """, tmp_path)
    assert "bot" in loaded
    assert loaded.isdisjoint(NOT_FOR_SERVING), sorted(loaded & set(NOT_FOR_SERVING))
