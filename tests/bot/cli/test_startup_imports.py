"""Start-up stays cheap: what `thottopilot` loads, checked in a fresh interpreter.

Heavy SDKs are imported where and when they are used (a provider when it writes, the
image stack with the first photo, Telegram when its token is set). These specs look at
`sys.modules` in a new process, so nothing an earlier test imported can hide a
regression, and they use no timing at all (speed is measured in bench/startup).
The Reddit client and `cryptography` load with the first Reddit use (a connect, a post,
a rules fetch, a stored token read), and that first use works in a fresh interpreter.
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
REDDIT_STACK = ("asyncpraw", "asyncprawcore", "cryptography")


def printed_by(code: str, tmp_path: object, key: str) -> object:
    """Run `code` in a fresh interpreter; return the JSON it printed after `KEY=`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    env["THOTTOPILOT_APP__DATA_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    [line] = [ln for ln in done.stdout.splitlines() if ln.startswith(key + "=")]
    return json.loads(line.removeprefix(key + "="))


def loaded_after(code: str, tmp_path: object) -> set[str]:
    """Run `code` in a fresh interpreter; return the top-level packages it loaded."""
    probe = textwrap.dedent(code) + textwrap.dedent("""
        import json, sys
        print("MODULES=" + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
    """)
    return set(printed_by(probe, tmp_path, "MODULES"))  # type: ignore[arg-type]


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


def test_core_with_defaults_and_the_web_app_load_no_reddit_client_or_cryptography(tmp_path):
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
    assert loaded.isdisjoint(REDDIT_STACK), sorted(loaded & set(REDDIT_STACK))


# A fresh interpreter with a fake Reddit on 127.0.0.1: Core is built before any client,
# then the first Reddit use must load what it needs by itself. (The fake's own TLS
# certificate needs `cryptography`, so only the client stack is checked before use.)
FIRST_USE = """
    import asyncio, json, sys
    from pathlib import Path
    from core.bootstrap import open_core
    from core.reddit.client import Credentials
    from core.reddit.types import PostRequest
    from core.settings import Settings
    from core.users import Who
    from tests.fakes.reddit import running_fake_reddit

    def client_loaded():
        return sorted({"asyncpraw", "asyncprawcore"} & set(sys.modules))

    async def main(tmp):
        seen = {}
        async with running_fake_reddit(tmp) as fake:
            fake.add_sub("pics")
            settings = Settings(
                app={"data_dir": str(tmp / "data")},
                database={"url": f"sqlite+aiosqlite:///{tmp / 'app.db'}"},
                reddit=fake.settings_section(),
            )
            async with open_core(settings) as core:
                seen["before"] = client_loaded()
                async with core.db.session() as session:
                    user, _ = await core.users.get_or_create(session, Who("console", "al", "Al"))
                    SCENARIO
                seen["after"] = client_loaded()
        print("SEEN=" + json.dumps(seen))

    asyncio.run(main(Path(TMP)))
"""


def first_use(scenario: str, tmp_path: object) -> dict[str, object]:
    """Run `scenario` inside FIRST_USE's open session; return what it put in `seen`."""
    body = textwrap.indent(textwrap.dedent(scenario).strip(), " " * 16).lstrip()
    code = textwrap.dedent(FIRST_USE).replace("SCENARIO", body)
    code = code.replace("TMP", repr(str(tmp_path)))
    return printed_by(code, tmp_path, "SEEN")  # type: ignore[return-value]


def test_the_first_connect_and_post_load_the_reddit_client_and_work(tmp_path):
    seen = first_use("""
        token = fake.issue_refresh_token("alice")
        account = await core.reddit.accounts.connect_with(
            session, user.id, Credentials(kind="refresh", refresh_token=token),
            auth_kind="token")
        outcome = await core.reddit.post(session, user, account,
                                         PostRequest("pics", "text", "Hello there", body="hi"),
                                         confirm_warnings=True)
        seen["account"] = account.username
        seen["posted"] = outcome.posted
        seen["on_reddit"] = [(p.author, p.subreddit, p.title) for p in fake.posts]
    """, tmp_path)
    assert seen["before"] == []
    assert seen["account"] == "alice"
    assert seen["posted"] is True
    assert seen["on_reddit"] == [["alice", "pics", "Hello there"]]
    assert seen["after"] == ["asyncpraw", "asyncprawcore"]


def test_a_failing_first_reddit_call_is_still_classified(tmp_path):
    """The error classifier imports the client lazily too; a refused refresh token on
    the very first call must still read as "couldn't connect", not "Reddit is down"."""
    seen = first_use("""
        from core.errors import UserFacingError
        try:
            await core.reddit.accounts.connect_with(
                session, user.id, Credentials(kind="refresh", refresh_token="rt-unknown"),
                auth_kind="token")
        except UserFacingError as exc:
            seen["code"] = exc.code
    """, tmp_path)
    assert seen["before"] == []
    assert seen["code"] == "reddit_connect_failed"
