"""`serve` with Telegram and Discord on one SQLite database: both adapters share the
process's one `ChatSerializer`, so SQLite's one writer at a time holds across
transports and people writing on both at once are all answered, none with "busy"."""

from __future__ import annotations

import asyncio
import socket

from bot.runner import serve
from core.texts import common
from tests.fakes.discord import FakeDiscord
from tests.fakes.telegram import FakeTelegram

PEOPLE = 4  # on each transport, all at once
CEILING = 60.0  # seconds: a loaded machine's bound, never a speed assertion


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_telegram_and_discord_at_once_on_sqlite_are_all_answered_without_busy(
        make_settings, fake_telegram: FakeTelegram, fake_discord: FakeDiscord):
    settings = make_settings(  # no database url: SQLite in the test's directory
        web={"port": _free_port()},
        telegram={"token": fake_telegram.token, "api_base_url": fake_telegram.base_url,
                  "file_base_url": fake_telegram.file_base_url, "poll_timeout": 1},
        discord={"token": fake_discord.token, "api_base_url": fake_discord.api_base_url})
    assert settings.database.url.startswith("sqlite")
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop))
    try:
        await asyncio.wait_for(fake_discord.identified.wait(), CEILING)
        await fake_discord.wait_for("PUT", "/commands")
        await fake_telegram.wait_for("setMyCommands")
        telegram_people = [1000 + n for n in range(PEOPLE)]
        discord_people = [2000 + n for n in range(PEOPLE)]
        # Everyone is new, so each /start creates a user and writes the wizard's state.
        _, interactions = await asyncio.gather(
            asyncio.gather(*(fake_telegram.send_text("/start", user_id=u)
                             for u in telegram_people)),
            asyncio.gather(*(fake_discord.slash("start", user_id=u) for u in discord_people)))
        for interaction in interactions:
            await fake_discord.wait_followups(interaction)
        await fake_telegram.wait_for("sendMessage", PEOPLE, within=CEILING)
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=CEILING)
    assert running.exception() is None
    telegram_said = {int(c.params["chat_id"]): c.params["text"]
                     for c in fake_telegram.calls_to("sendMessage")}
    assert set(telegram_said) == set(telegram_people)
    discord_said = [c.body["content"] for i in interactions for c in fake_discord.followups(i)]
    assert len(discord_said) >= PEOPLE
    assert common.BUSY not in [*telegram_said.values(), *discord_said]
    assert common.SOMETHING_WENT_WRONG not in [*telegram_said.values(), *discord_said]
