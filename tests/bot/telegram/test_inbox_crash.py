"""kill -9 during webhook traffic loses no acknowledged update; SIGTERM leaves the rest
pending. `thottopilot serve` runs as a real subprocess in webhook mode against the local
fake Bot API; updates are POSTed to it as Telegram would, and SIGKILL lands mid-traffic.

Each update is a /start from its own user, so each has exactly one greeting to count.
An update being handled at the instant of the kill may be handled again after the
restart (at least once: a chat message can't share a transaction with our done-mark);
it is one whose inbox row says it was claimed twice, and only such may be greeted twice.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import select

from bot.conversation.ordering import running_limit
from bot.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from core.db.database import Database
from core.inbox import InboundUpdate, Status
from tests.fakes.telegram import FakeTelegram

CEILING = 120.0  # seconds: 120 flows on a loaded 2-core machine, twice over
SECRET = "kill-nine-webhook-secret"
UPDATES = 120
KILL_AFTER = 40  # acknowledged updates before the SIGKILL
SCRIPT = Path(sys.executable).with_name("thottopilot")
CLI = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(update_id: int) -> dict[str, Any]:
    user = {"id": 5000 + update_id, "is_bot": False, "first_name": f"U{update_id}"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_764_000_000, "text": "/start", "from": user,
        "chat": {"id": user["id"], "type": "private"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}


async def _serve(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *CLI, "serve", env=env, stdout=asyncio.subprocess.DEVNULL, stderr=log.open("ab"))


async def _until(check: Any, what: str) -> None:
    try:
        async with asyncio.timeout(CEILING):
            while not check():  # noqa: ASYNC110 - the fake's calls are a plain list
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"never saw {what}") from None


def _greeted(fake: FakeTelegram) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) - 5000 for c in fake.calls_to("sendMessage"))


async def _post_all(port: int, acked: list[int], killed: asyncio.Event) -> None:
    """Telegram's side: deliver updates 1..UPDATES, a few at a time, noting each 200."""
    ids = iter(range(1, UPDATES + 1))

    async def sender(http: aiohttp.ClientSession) -> None:
        for update_id in ids:
            try:
                async with http.post(f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
                                     json=_start(update_id),
                                     headers={SECRET_HEADER: SECRET}) as resp:
                    if resp.status == 200:
                        acked.append(update_id)
            except aiohttp.ClientError:
                killed.set()  # the server is gone: this one was never acknowledged

    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(sender(http) for _ in range(4)))


async def test_every_acknowledged_update_is_handled_after_a_kill_9(
    tmp_path, database_url, fake_telegram
):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    env.update({
        "THOTTOPILOT_APP__DATA_DIR": str(tmp_path / "data"),
        "THOTTOPILOT_SECURITY__SECRET_KEY": "kill-nine-secret-key-0123456789abcdef",
        "THOTTOPILOT_DATABASE__URL": database_url,
        "THOTTOPILOT_WEB__PORT": str(port),
        "THOTTOPILOT_WEB__PUBLIC_URL": f"http://127.0.0.1:{port}",
        "THOTTOPILOT_TELEGRAM__TOKEN": fake_telegram.token,
        "THOTTOPILOT_TELEGRAM__API_BASE_URL": fake_telegram.base_url,
        "THOTTOPILOT_TELEGRAM__FILE_BASE_URL": fake_telegram.file_base_url,
        "THOTTOPILOT_TELEGRAM__MODE": "webhook",
        "THOTTOPILOT_TELEGRAM__WEBHOOK_SECRET": SECRET,
        "THOTTOPILOT_TELEGRAM__INBOX_LEASE_SECONDS": "4",  # the dead one's updates come back
    })
    log = tmp_path / "serve.log"
    first = await _serve(env, log)
    acked: list[int] = []
    try:
        await _until(lambda: fake_telegram.calls_to("setWebhook") or first.returncode is not None,
                     "the webhook registered")
        assert first.returncode is None, log.read_text()[-3000:]
        traffic = asyncio.create_task(_post_all(port, acked, asyncio.Event()))
        await _until(lambda: len(acked) >= KILL_AFTER, f"{KILL_AFTER} acknowledged updates")
        first.send_signal(signal.SIGKILL)
        await first.wait()
        await traffic
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    handled_before = set(_greeted(fake_telegram))
    assert set(acked) - handled_before, "the kill came too late to prove anything"

    second = await _serve(env, log)
    try:
        await _until(lambda: set(acked) <= set(_greeted(fake_telegram)),
                     "a greeting for every acknowledged update")
    finally:
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), CEILING) == 0, log.read_text()[-3000:]

    db = Database(database_url)
    try:
        async with db.read() as session:
            rows = {r.update_id: (r.status, r.attempts)
                    for r in await session.scalars(select(InboundUpdate))}
    finally:
        await db.dispose()
    greeted = _greeted(fake_telegram)
    for update_id in acked:
        status, attempts = rows[update_id]
        assert status == Status.DONE, (update_id, status)
        assert greeted[update_id] <= attempts, (update_id, greeted[update_id])
    twice = [u for u in acked if greeted[u] > 1]
    running = running_limit(db.dialect)  # updates handled at once: SQLite 1
    assert len(twice) <= running, f"only updates in flight at the kill may repeat: {twice}"
