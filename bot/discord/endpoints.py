"""Where discord.py sends its requests: Discord, or a local fake in tests.

discord.py has no per-client base URL: every REST route is built from the class
attribute `discord.http.Route.BASE` (the library itself sets it to switch API
versions), and `Client.connect` opens `DiscordWebSocket.DEFAULT_GATEWAY`. Both are
process-wide, which matches a process that talks to one Discord. `pointed_at` sets
them for as long as the adapter runs and puts the old values back after; the gateway
URL is asked from the API (GET /gateway/bot, as Discord recommends) rather than
hard-coded, so an API base that is not Discord's also brings its own gateway.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import discord


@contextmanager
def pointed_at(api_base_url: str) -> Iterator[None]:
    """REST calls go to `api_base_url` inside the block."""
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base_url.rstrip("/")
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


async def use_announced_gateway(client: discord.Client) -> None:
    """Connect to the gateway the API names (call after login, before connect)."""
    import yarl
    from discord.gateway import DiscordWebSocket

    _, url, _ = await client.http.get_bot_gateway()
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
