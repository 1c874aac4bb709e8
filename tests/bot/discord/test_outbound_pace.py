"""Notices and DM replies on Discord wait for room in their channel's window
(core.outbound), which all processes share through Redis when configured: the real
discord.py client against the fake Discord, on a fake clock whose sleeps move time by
what they slept."""

from __future__ import annotations

import pytest

from bot.discord.deliver import DiscordDeliverer
from core.posting.outbox import Notice
from core.users import Who
from tests.fakes.clock import FakeClock
from tests.fakes.discord_payloads import dm_channel

ALICE = 42
ALICE_DM = dm_channel(ALICE)["id"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(autojump=True)


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, outbound={
        "enabled": True, "discord_channel_messages": 1, "discord_channel_seconds": 2.0})


async def test_two_notices_in_one_dm_keep_the_channel_pace(
        core, clock: FakeClock, fake_discord, discord_bot):
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("discord", str(ALICE), "Alice"))
    deliverer = DiscordDeliverer(core, discord_bot.client)
    for key in "ab":
        notice = Notice(0, user.id, "post_live", {"subreddit": "pics"}, key, clock.now())
        assert await deliverer.deliver(notice) is True
    assert len(fake_discord.calls_to("POST", f"/channels/{ALICE_DM}/messages")) == 2
    assert clock.sleeps.count(pytest.approx(2.0)) == 1


async def test_replies_in_a_dm_keep_the_channel_pace(
        core, clock: FakeClock, fake_discord, discord_bot):
    await fake_discord.dm("/help", user_id=ALICE)
    await fake_discord.wait_for("POST", f"/channels/{ALICE_DM}/messages")
    await fake_discord.dm("/help", user_id=ALICE)
    await fake_discord.wait_for("POST", f"/channels/{ALICE_DM}/messages", 2)

    assert clock.sleeps.count(pytest.approx(2.0)) == 1  # the second waited its turn
