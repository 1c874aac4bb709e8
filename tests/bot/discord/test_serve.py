"""`serve` with a Discord token: the bot joins the service's loop and leaves with it."""

from __future__ import annotations

import asyncio
import logging
import socket

from bot.runner import serve
from tests.fakes.discord import FakeDiscord


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_serve_with_a_discord_token_answers_and_stops_cleanly(
        make_settings, database_url, fake_discord: FakeDiscord):
    settings = make_settings(database_url, web={"port": _free_port()},
                             discord={"token": fake_discord.token,
                                      "api_base_url": fake_discord.api_base_url})
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop))
    try:
        await asyncio.wait_for(fake_discord.identified.wait(), 60)
        await fake_discord.wait_for("PUT", "/commands")
        interaction = await fake_discord.slash("help")
        [reply] = await fake_discord.wait_followups(interaction)
        assert "/cancel" in reply.body["content"]
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=60)  # a ceiling, not a speed test
    assert running.exception() is None
    await fake_discord.wait_until(lambda: not fake_discord._sockets)  # gateway closed


class _Said(logging.Handler):
    """Sets `heard` when a log record contains `words`."""

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words, self.heard = words, asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.words in record.getMessage():
            self.heard.set()


async def test_a_rejected_token_leaves_the_service_running(make_settings, database_url,
                                                           fake_discord: FakeDiscord):
    settings = make_settings(database_url, web={"port": _free_port()},
                             discord={"token": "wrong", "api_base_url": fake_discord.api_base_url})
    said = _Said("refused the bot token")
    logging.getLogger("bot.discord").addHandler(said)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop))
    try:
        await asyncio.wait_for(said.heard.wait(), 60)  # a ceiling for a loaded machine
        assert not running.done()
    finally:
        logging.getLogger("bot.discord").removeHandler(said)
        stop.set()
        await asyncio.wait_for(running, timeout=60)
    assert running.exception() is None
