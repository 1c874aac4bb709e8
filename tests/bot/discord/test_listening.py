"""Whether the Discord adapter still listens: the question a holder of the gateway
lease asks at every beat (bot.leading). A login Discord refused leaves the service
running but the adapter not listening, so the holder lets another process try."""

from __future__ import annotations

import asyncio

from bot.conversation.dispatcher import Dispatcher
from bot.discord.adapter import DiscordAdapter
from bot.leading import Heard
from core.settings import DiscordSettings
from tests.fakes.discord import FakeDiscord

CEILING = 60.0  # seconds: a loaded machine's bound, never a speed assertion


async def _until(check, what: str) -> None:
    try:
        async with asyncio.timeout(CEILING):
            while not check():  # noqa: ASYNC110 - the state is in the adapter's task
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"never saw {what}") from None


async def test_a_logged_in_adapter_is_listening(discord_bot: DiscordAdapter):
    assert discord_bot.listening() is Heard.LISTENING


async def test_a_login_discord_answered_with_an_error_leaves_the_adapter_not_listening(
    fake_discord: FakeDiscord, dispatcher: Dispatcher
):
    fake_discord.fail_next("GET", "/users/@me", 503)
    settings = DiscordSettings(token=fake_discord.token, api_base_url=fake_discord.api_base_url)
    adapter = DiscordAdapter(settings, dispatcher)
    async with adapter.running():
        await _until(lambda: adapter.listening() is Heard.STOPPED, "the adapter giving up")
        assert [call.path for call in fake_discord.refused] == ["/users/@me"]
        assert not fake_discord.identified.is_set()  # it never reached the gateway


async def test_a_token_discord_rejects_is_refused_for_good(
    fake_discord: FakeDiscord, dispatcher: Dispatcher
):
    fake_discord.fail_next("GET", "/users/@me", 401)
    settings = DiscordSettings(token=fake_discord.token, api_base_url=fake_discord.api_base_url)
    adapter = DiscordAdapter(settings, dispatcher)
    async with adapter.running():
        await _until(lambda: adapter.listening() is Heard.REFUSED, "the token refused")
