"""The composition point: one loop runs the web companion and the Telegram bot together."""

from __future__ import annotations

import asyncio
import socket

import aiohttp

from bot.runner import serve


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_serve_runs_web_and_telegram_in_one_loop_and_stops_cleanly(
    make_settings, database_url, fake_telegram
):
    port = _free_port()
    settings = make_settings(
        database_url,
        web={"port": port},
        telegram={"token": fake_telegram.token, "api_base_url": fake_telegram.base_url,
                  "file_base_url": fake_telegram.file_base_url, "poll_timeout": 1},
    )
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop))
    try:
        await fake_telegram.wait_for("setMyCommands")
        await fake_telegram.send_text("/start")
        [greeting] = await fake_telegram.wait_for("sendMessage")
        assert "inline_keyboard" in greeting.params["reply_markup"]
        async with (aiohttp.ClientSession() as http,
                    http.get(f"http://127.0.0.1:{port}/healthz") as resp):
            assert (await resp.json())["status"] == "ok"
    finally:
        stop.set()
        # A ceiling for a loaded machine; the 2 s stop is measured in bench/startup.
        await asyncio.wait_for(running, timeout=60)
    assert running.exception() is None
