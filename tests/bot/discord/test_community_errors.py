"""/announce-here and /announce-my-posts always answer their "thinking…": a failure
gets the catalogue's friendly words and is recorded, and two admins setting a new
server's channel at once both succeed. Real discord.py against the fake Discord, a
real database (the failure is a real one: the table is gone)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from bot.discord.news import HERE
from core.communities import announcement_channel
from core.texts import common as tc
from core.texts import discord as t
from tests.fakes.discord_payloads import GUILD_ID, SFW_CHANNEL_ID


async def _table_is_gone(core) -> None:
    async with core.db.session() as session:
        await session.execute(text("DROP TABLE announcement_channels"))


async def _recorded(core) -> list[str]:
    async with core.db.read() as session:
        return [e.context.get("event") for e in await core.analytics.errors.recent(session)]


async def test_a_failing_announce_here_still_answers_and_is_recorded(
        fake_discord, discord_bot, core):
    await _table_is_gone(core)
    asked = await fake_discord.slash("announce-here", guild=True, admin=True)
    [reply] = await fake_discord.wait_followups(asked)
    assert reply.body["content"] == tc.SOMETHING_WENT_WRONG
    assert reply.body["flags"] & 64  # private, like the answer it stands for
    assert await _recorded(core) == ["/announce-here"]


async def test_a_failing_announce_my_posts_still_answers_and_is_recorded(
        fake_discord, discord_bot, core):
    await _table_is_gone(core)
    asked = await fake_discord.slash("announce-my-posts",
                                     [{"name": "where", "type": 3, "value": HERE}], guild=True)
    [reply] = await fake_discord.wait_followups(asked)
    assert reply.body["content"] == tc.SOMETHING_WENT_WRONG
    assert await _recorded(core) == ["/announce-my-posts"]


@pytest.mark.both_backends
async def test_two_admins_picking_a_new_servers_channel_at_once_both_succeed(
        fake_discord, discord_bot, core):
    for _ in range(5):  # a few rounds: the race is what the event loop makes of it
        async with core.db.session() as session:
            await session.execute(text("DELETE FROM announcement_channels"))
        asked = await asyncio.gather(
            fake_discord.slash("announce-here", guild=True, admin=True, user_id=7),
            fake_discord.slash("announce-here", guild=True, admin=True, user_id=8))
        for interaction in asked:
            [reply] = await fake_discord.wait_followups(interaction)
            assert reply.body["content"] == t.ANNOUNCE_SET.format(
                channel=f"<#{SFW_CHANNEL_ID}>")
    async with core.db.read() as session:
        assert await announcement_channel(session, "discord", GUILD_ID) == SFW_CHANNEL_ID
    assert await _recorded(core) == []
