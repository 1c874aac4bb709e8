"""Webhook acknowledgement latency with the inbox commit, next to a bare aiohttp handler,
and how long `serve` takes to stop with a backlog (goal: < 2 s, backlog left pending).

Both servers run as subprocesses on this machine; the client POSTs --updates Telegram
updates one after another on one keep-alive connection (as Telegram does per
connection) and times each 200. `serve` runs in webhook mode on SQLite against the local
fake Bot API, so its flows (a /start per update) run while acks are measured, as in
production. Then a burst is sent without waiting for processing, SIGTERM lands, and the
stop time and the updates left pending are printed.

Run: `.venv/bin/python bench/inbox/run.py [--updates 500]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fakes.telegram import FakeTelegram  # noqa: E402

SCRIPT = Path(sys.executable).with_name("thottopilot")
CLI = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]
SECRET = "bench-webhook-secret"
PATH = "/telegram/webhook"
BARE = """
import sys
from aiohttp import web
async def hook(request):
    await request.json()
    return web.json_response({"ok": True})
app = web.Application()
app.router.add_post("/telegram/webhook", hook)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def update(update_id: int) -> dict[str, Any]:
    user = {"id": 10_000 + update_id, "is_bot": False, "first_name": "Bench"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_764_000_000, "text": "/start", "from": user,
        "chat": {"id": user["id"], "type": "private"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}


async def wait_listening(port: int) -> None:
    for _ in range(600):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


async def acks(port: int, first: int, count: int) -> list[float]:
    times = []
    async with aiohttp.ClientSession(headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as h:
        for update_id in range(first, first + count):
            started = time.perf_counter()
            async with h.post(f"http://127.0.0.1:{port}{PATH}", json=update(update_id)) as r:
                assert r.status == 200, r.status
            times.append(time.perf_counter() - started)
    return times


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000


async def main(n: int) -> None:
    fake = FakeTelegram()
    await fake.start()
    data = Path(tempfile.mkdtemp(prefix="bench-inbox-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    env.update({
        "THOTTOPILOT_APP__DATA_DIR": str(data),
        "THOTTOPILOT_APP__LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        "THOTTOPILOT_SECURITY__SECRET_KEY": "bench-secret-key-0123456789abcdefghij",
        "THOTTOPILOT_WEB__PORT": str(port),
        "THOTTOPILOT_WEB__PUBLIC_URL": f"http://127.0.0.1:{port}",
        "THOTTOPILOT_TELEGRAM__TOKEN": fake.token,
        "THOTTOPILOT_TELEGRAM__API_BASE_URL": fake.base_url,
        "THOTTOPILOT_TELEGRAM__FILE_BASE_URL": fake.file_base_url,
        "THOTTOPILOT_TELEGRAM__MODE": "webhook",
        "THOTTOPILOT_TELEGRAM__WEBHOOK_SECRET": SECRET,
    })
    serve = await asyncio.create_subprocess_exec(*CLI, "serve", env=env,
                                                 stdout=asyncio.subprocess.DEVNULL)
    bare_port = free_port()
    bare = await asyncio.create_subprocess_exec(sys.executable, "-c", BARE, str(bare_port))
    try:
        await fake.wait_for("setWebhook", within=120)
        await wait_listening(bare_port)
        await acks(bare_port, 1, 50)  # warm-up
        bare_times = await acks(bare_port, 1, n)
        serve_times = await acks(port, 1, n)
        # a backlog, then SIGTERM while it is being processed
        await acks(port, n + 1, n)
        stop_started = time.perf_counter()
        serve.send_signal(signal.SIGTERM)
        code = await serve.wait()
        stopped = time.perf_counter() - stop_started
    finally:
        for proc in (serve, bare):
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        await fake.close()
    db = sqlite3.connect(data / "thottopilot.db")
    left = dict(db.execute("SELECT status, count(*) FROM inbound_updates GROUP BY status"))
    print(f"webhook ack over {n} sequential updates (ms): p50 / p99 / mean")
    for name, t in (("bare aiohttp handler (floor)", bare_times),
                    ("serve + inbox commit", serve_times)):
        print(f"  {name:<30} {pct(t, .5):7.2f} / {pct(t, .99):7.2f} / "
              f"{statistics.fmean(t) * 1000:7.2f}")
    print(f"SIGTERM with a backlog: exit {code} after {stopped:.2f} s (goal < 2 s); "
          f"inbox rows by status: {json.dumps(left)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=500)
    asyncio.run(main(parser.parse_args().updates))
