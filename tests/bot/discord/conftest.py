"""The real discord.py client against the local fake Discord (HTTP + gateway)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.conversation.dispatcher import Dispatcher
from bot.discord.adapter import DiscordAdapter
from core.settings import DiscordSettings
from tests.fakes.discord import FakeDiscord

CEILING = 60.0  # seconds: a loaded machine's bound, never a speed assertion


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def discord_bot(fake_discord: FakeDiscord, dispatcher: Dispatcher
                      ) -> AsyncIterator[DiscordAdapter]:
    """Logged in, commands synced, identified on the gateway."""
    settings = DiscordSettings(token=fake_discord.token, api_base_url=fake_discord.api_base_url)
    adapter = DiscordAdapter(settings, dispatcher)
    async with adapter.running():
        await asyncio.wait_for(fake_discord.identified.wait(), CEILING)
        yield adapter
