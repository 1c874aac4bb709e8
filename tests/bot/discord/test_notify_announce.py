"""A creator who chose "announce my posts in this server" has their posts going live
announced in the channel the server's admins picked; everything personal stays in
the DM. Real discord.py against the fake Discord, the worker against the fake Reddit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.discord.news import DM, HERE
from core.texts import discord as t
from tests.bot.discord.test_notify_dm import (
    ALICE,
    ALICE_DM,
    live_text,
    scheduled,
    sent,
    until,
    workers,  # noqa: F401 - fixture
)
from tests.fakes.discord_payloads import SFW_CHANNEL_ID


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _choose(fake_discord, where: str) -> str:
    """Alice runs /announce-my-posts in the server; what the bot answered."""
    chose = await fake_discord.slash("announce-my-posts",
                                     [{"name": "where", "type": 3, "value": where}],
                                     guild=True, user_id=ALICE)
    [answer] = await fake_discord.wait_followups(chose)
    return answer.body["content"]


async def _admin_picks_the_channel(fake_discord) -> None:
    picked = await fake_discord.slash("announce-here", guild=True, admin=True, user_id=7)
    await fake_discord.wait_followups(picked)


async def test_a_post_going_live_is_announced_in_the_community_channel(
        core, clock, fake_reddit, fake_discord, workers):  # noqa: F811
    await _admin_picks_the_channel(fake_discord)
    await scheduled(core, fake_reddit)
    answer = await _choose(fake_discord, HERE)
    assert answer == t.NEWS_SET_HERE.format(channel=f"<#{SFW_CHANNEL_ID}>")
    clock.advance(timedelta(hours=1))
    [announced] = await fake_discord.wait_for("POST", f"/channels/{SFW_CHANNEL_ID}/messages")
    [post] = fake_reddit.posts
    assert announced.body["content"] == t.ANNOUNCE_POSTED.format(
        who=f"<@{ALICE}>", title="Golden hour", sub="pics",
        link=f"{fake_reddit.url}/r/pics/comments/{post.id}/")
    assert announced.body["allowed_mentions"]["parse"] == []  # named, not pinged
    row = await until(lambda: sent(core))
    assert row.transport == "discord"
    assert fake_discord.calls_to("POST", f"/channels/{ALICE_DM}/messages") == []


async def test_a_failed_post_is_told_privately_even_so(
        core, clock, fake_reddit, fake_discord, workers):  # noqa: F811
    await _admin_picks_the_channel(fake_discord)
    fake_reddit.fail_next_submit_to["closed"] = [
        "SUBREDDIT_NOTALLOWED", "you aren't allowed to post there.", "sr"]
    await scheduled(core, fake_reddit, sub="closed")
    await _choose(fake_discord, HERE)
    clock.advance(timedelta(hours=1))
    [told] = await fake_discord.wait_for("POST", f"/channels/{ALICE_DM}/messages")
    assert "didn't go out" in told.body["content"]
    assert fake_discord.calls_to("POST", f"/channels/{SFW_CHANNEL_ID}/messages") == []


async def test_without_an_announcement_channel_the_news_comes_privately(
        core, clock, fake_reddit, fake_discord, workers):  # noqa: F811
    await scheduled(core, fake_reddit)
    assert await _choose(fake_discord, HERE) == t.NEWS_SET_HERE_NO_CHANNEL
    clock.advance(timedelta(hours=1))
    [told] = await fake_discord.wait_for("POST", f"/channels/{ALICE_DM}/messages")
    assert told.body["content"] == live_text(fake_reddit)


async def test_choosing_private_again_stops_the_announcements(
        core, clock, fake_reddit, fake_discord, workers):  # noqa: F811
    await _admin_picks_the_channel(fake_discord)
    await scheduled(core, fake_reddit)
    await _choose(fake_discord, HERE)
    assert await _choose(fake_discord, DM) == t.NEWS_SET_DM
    clock.advance(timedelta(hours=1))
    [told] = await fake_discord.wait_for("POST", f"/channels/{ALICE_DM}/messages")
    assert told.body["content"] == live_text(fake_reddit)
    assert fake_discord.calls_to("POST", f"/channels/{SFW_CHANNEL_ID}/messages") == []


async def test_a_channel_closed_to_the_bot_falls_back_to_the_dm(
        core, clock, fake_reddit, fake_discord, workers):  # noqa: F811
    await _admin_picks_the_channel(fake_discord)
    fake_discord.fail_next("POST", f"/channels/{SFW_CHANNEL_ID}/messages", 403)
    await scheduled(core, fake_reddit)
    await _choose(fake_discord, HERE)
    clock.advance(timedelta(hours=1))
    [told] = await fake_discord.wait_for("POST", f"/channels/{ALICE_DM}/messages")
    assert told.body["content"] == live_text(fake_reddit)
    row = await until(lambda: sent(core))
    assert row.attempts == 1
