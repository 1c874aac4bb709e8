"""Two bot-role processes on PostgreSQL with one Discord bot: one gateway session, not
two (Discord would hand every interaction to both), and when the holder stops the
other takes over. In-process `serve` runs; time moves on a fake clock."""

from __future__ import annotations

import asyncio
import socket
from datetime import timedelta

import pytest

from bot.roles import Role
from bot.runner import serve
from core.leases import BEAT
from tests.fakes.discord import FakeDiscord

CEILING = 60.0

pytestmark = pytest.mark.both_backends  # the point is PostgreSQL


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _until(check) -> None:
    async def look() -> None:
        while not check():  # noqa: ASYNC110 - the state is in a fake clock or a fake server
            await asyncio.sleep(0.01)

    await asyncio.wait_for(look(), CEILING)


async def test_one_gateway_session_per_bot_and_a_standby_takes_over(
    make_settings, database_url, clock, fake_discord: FakeDiscord
):
    if not database_url.startswith("postgresql"):
        pytest.skip("processes multiply on PostgreSQL")
    settings = make_settings(database_url, web={"port": _free_port()}, discord={
        "token": fake_discord.token, "api_base_url": fake_discord.api_base_url})

    def sessions() -> int:  # each gateway session syncs the slash commands once
        return len(fake_discord.calls_to("PUT", "/commands"))

    def beats() -> int:
        return clock.sleeps.count(BEAT.total_seconds())

    stops = [asyncio.Event(), asyncio.Event()]
    first = asyncio.create_task(serve(settings, stops[0], clock=clock, role=Role.BOT))
    second = None
    try:
        await _until(lambda: sessions() == 1)
        second = asyncio.create_task(serve(settings, stops[1], clock=clock, role=Role.BOT))
        await _until(lambda: beats() >= 2)  # the holder beats, the standby waits its turn
        assert sessions() == 1
        stops[0].set()
        await asyncio.wait_for(first, CEILING)  # a clean stop gives the lease back
        clock.advance(timedelta(seconds=BEAT.total_seconds()))
        await _until(lambda: sessions() == 2)  # the standby's next look takes it
    finally:
        for stop in stops:
            stop.set()
        await asyncio.wait_for(first, CEILING)
        if second is not None:
            await asyncio.wait_for(second, CEILING)
    assert first.exception() is None
    assert second.exception() is None
