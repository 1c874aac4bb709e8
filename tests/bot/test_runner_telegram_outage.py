"""Telegram down at start: the web companion serves anyway, and the bot keeps trying.

The backoff waits are taken on a fake clock the test moves by hand, so the story is
driven by events (a retry scheduled, the clock moved, the bot connected), never by
how long anything took.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import timedelta

import aiohttp

from bot.runner import serve
from tests.fakes.clock import FakeClock

CEILING = 60.0  # seconds: waiting for an event on a loaded machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _until(predicate, what: str) -> None:
    try:
        async with asyncio.timeout(CEILING):
            # The state lives in a fake clock or a log handler: no event to await.
            while not predicate():  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"never saw {what}") from None


async def _healthz(port: int) -> str:
    async with (aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{port}/healthz") as resp):
        return str((await resp.json())["status"])


async def test_web_serves_while_telegram_fails_and_the_bot_connects_when_it_is_back(
    make_settings, fake_telegram, caplog
):
    caplog.set_level(logging.WARNING, logger="bot.runner")
    port = _free_port()
    settings = make_settings(
        web={"port": port},
        telegram={"token": fake_telegram.token, "api_base_url": fake_telegram.base_url,
                  "file_base_url": fake_telegram.file_base_url, "poll_timeout": 1},
    )
    fake_telegram.failures["getMe"] = [502, 502]
    clock = FakeClock()
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop, clock=clock))
    try:
        await _until(lambda: len(clock.sleeps) == 1, "a first retry to be scheduled")
        assert await _healthz(port) == "ok"
        assert "telegram unreachable" in caplog.text
        assert "retrying in" in caplog.text
        assert not fake_telegram.calls_to("setMyCommands")

        clock.advance(timedelta(seconds=clock.sleeps[-1] + 1))
        await _until(lambda: len(clock.sleeps) == 2, "a second retry to be scheduled")
        assert clock.sleeps[1] <= 2.0  # full jitter under a doubling ceiling
        clock.advance(timedelta(seconds=clock.sleeps[-1] + 1))

        await fake_telegram.wait_for("setMyCommands", within=CEILING)
        await fake_telegram.send_text("/start")
        [greeting] = await fake_telegram.wait_for("sendMessage", within=CEILING)
        assert "inline_keyboard" in greeting.params["reply_markup"]
    finally:
        stop.set()
        await asyncio.wait_for(running, CEILING)
    assert running.exception() is None


async def test_stopping_while_telegram_is_still_down_stops_cleanly(
    make_settings, fake_telegram
):
    port = _free_port()
    settings = make_settings(
        web={"port": port},
        telegram={"token": fake_telegram.token, "api_base_url": fake_telegram.base_url,
                  "file_base_url": fake_telegram.file_base_url},
    )
    fake_telegram.failures["getMe"] = [503] * 100
    clock = FakeClock()
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop, clock=clock))
    await _until(lambda: len(clock.sleeps) == 1, "a first retry to be scheduled")
    stop.set()
    await asyncio.wait_for(running, CEILING)
    assert running.exception() is None
    assert not fake_telegram.calls_to("setMyCommands")


async def test_a_rejected_token_turns_the_bot_off_but_not_the_web(make_settings, fake_telegram,
                                                                 caplog):
    caplog.set_level(logging.ERROR, logger="bot.runner")
    port = _free_port()
    settings = make_settings(
        web={"port": port},
        telegram={"token": "999:WRONG", "api_base_url": fake_telegram.base_url,
                  "file_base_url": fake_telegram.file_base_url},
    )
    clock = FakeClock()
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop, clock=clock))
    try:
        await _until(lambda: "refused the bot token" in caplog.text, "the refusal logged")
        assert await _healthz(port) == "ok"
        assert clock.sleeps == []  # no retry of a token Telegram rejected
    finally:
        stop.set()
        await asyncio.wait_for(running, CEILING)
