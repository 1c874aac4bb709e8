"""A post to an 18+ subreddit is announced only in an age-restricted channel, without a
link preview; elsewhere its news goes to the creator's DM. Real discord.py against the
fake Discord (the server's channels arrive by GUILD_CREATE, as on a real gateway), the
posting worker against the fake Reddit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.discord.deliver import DiscordDeliverer
from bot.discord.news import HERE
from core.posting.outbox import POSTED, Notice
from core.posting.service import PostingService, TargetSpec
from core.reddit.client import Credentials
from core.reddit.types import MediaItem, PostRequest
from core.texts import discord as t
from core.texts import schedule as ts
from core.users import Who
from tests.bot.discord.test_notify_dm import (
    ALICE,
    ALICE_DM,
    sent,
    until,
    workers,  # noqa: F401 - fixture
)
from tests.fakes.discord_payloads import (
    GUILD_ID,
    NSFW_CHANNEL_ID,
    SFW_CHANNEL_ID,
    guild_channel,
)
from tests.fakes.reddit import make_jpeg

SUPPRESS_EMBEDS = 1 << 2


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _server_is_known(fake_discord, discord_bot) -> None:
    """The gateway tells the bot about the server and its two channels."""
    await fake_discord.dispatch("GUILD_CREATE", {
        "id": GUILD_ID, "name": "Creators", "icon": None, "owner_id": "7",
        "roles": [], "emojis": [], "stickers": [], "features": [], "members": [],
        "channels": [guild_channel(False), guild_channel(True)], "threads": [],
        "member_count": 2, "unavailable": False, "large": False})
    client = discord_bot.client
    await until(_truthy(lambda: client.get_channel(int(NSFW_CHANNEL_ID)) is not None))


def _truthy(check):
    async def probe():
        return check()
    return probe


async def _admin_picks(fake_discord, *, age_restricted: bool) -> None:
    picked = await fake_discord.slash("announce-here", guild=True, admin=True, user_id=7,
                                      nsfw=age_restricted)
    await fake_discord.wait_followups(picked)


async def _alice_announces_here(fake_discord) -> None:
    chose = await fake_discord.slash("announce-my-posts",
                                     [{"name": "where", "type": 3, "value": HERE}],
                                     guild=True, user_id=ALICE)
    await fake_discord.wait_followups(chose)


async def _scheduled(core, fake_reddit, sub: str, *, nsfw: bool):
    """Alice (on Discord, adult confirmed) has a photo post scheduled to r/`sub`."""
    fake_reddit.add_sub(sub)
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("discord", str(ALICE), "Alice"))
        await core.users.confirm_adult(session, user)
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        account = await core.reddit.accounts.save(session, user.id, "alice", creds,
                                                  auth_kind="token")
    request = PostRequest(sub, "image", "Golden hour", nsfw=nsfw,
                          images=(MediaItem(make_jpeg(), "photo.jpg"),))
    return await PostingService(core).create_job(
        user_id=user.id, account_id=account.id, request=request,
        targets=[TargetSpec(sub, "Golden hour")], due_at=core.clock.now() + timedelta(hours=1))


def _live(fake_reddit, sub: str) -> str:
    [post] = fake_reddit.posts
    return ts.NOTICE_LIVE.format(title="Golden hour", sub=sub,
                                 link=f"{fake_reddit.url}/r/{sub}/comments/{post.id}/")


async def test_an_adult_post_is_not_announced_in_an_ordinary_channel(
        core, clock, fake_reddit, fake_discord, discord_bot, workers):  # noqa: F811
    await _server_is_known(fake_discord, discord_bot)
    await _admin_picks(fake_discord, age_restricted=False)
    await _scheduled(core, fake_reddit, "gonewild", nsfw=True)
    await _alice_announces_here(fake_discord)
    clock.advance(timedelta(hours=1))
    [told] = await fake_discord.wait_for("POST", f"/channels/{ALICE_DM}/messages")
    assert told.body["content"] == _live(fake_reddit, "gonewild")
    await until(lambda: sent(core))
    assert fake_discord.calls_to("POST", f"/channels/{SFW_CHANNEL_ID}/messages") == []


@pytest.mark.both_backends
async def test_an_18_plus_subreddit_counts_even_if_the_post_was_not_marked(
        core, clock, fake_reddit, fake_discord, discord_bot, workers):  # noqa: F811
    await _server_is_known(fake_discord, discord_bot)
    await _admin_picks(fake_discord, age_restricted=False)
    await _scheduled(core, fake_reddit, "gonewild", nsfw=False)  # r/gonewild is over 18
    await _alice_announces_here(fake_discord)
    clock.advance(timedelta(hours=1))
    await fake_discord.wait_for("POST", f"/channels/{ALICE_DM}/messages")
    row = await until(lambda: sent(core))
    assert row.payload["nsfw"] is True
    assert fake_discord.calls_to("POST", f"/channels/{SFW_CHANNEL_ID}/messages") == []


async def test_an_adult_post_is_announced_in_an_age_restricted_channel_without_a_preview(
        core, clock, fake_reddit, fake_discord, discord_bot, workers):  # noqa: F811
    await _server_is_known(fake_discord, discord_bot)
    await _admin_picks(fake_discord, age_restricted=True)
    await _scheduled(core, fake_reddit, "gonewild", nsfw=True)
    await _alice_announces_here(fake_discord)
    clock.advance(timedelta(hours=1))
    [announced] = await fake_discord.wait_for("POST", f"/channels/{NSFW_CHANNEL_ID}/messages")
    [post] = fake_reddit.posts
    assert announced.body["content"] == t.ANNOUNCE_POSTED.format(
        who=f"<@{ALICE}>", title="Golden hour", sub="gonewild",
        link=f"{fake_reddit.url}/r/gonewild/comments/{post.id}/")
    assert announced.body["flags"] & SUPPRESS_EMBEDS
    await until(lambda: sent(core))
    assert fake_discord.calls_to("POST", f"/channels/{ALICE_DM}/messages") == []


async def test_an_adult_post_goes_to_the_dm_when_the_channel_cannot_be_looked_up(
        core, clock, fake_reddit, fake_discord, discord_bot, workers):  # noqa: F811
    # no GUILD_CREATE: not in the cache, and the channel lookup is refused
    await _admin_picks(fake_discord, age_restricted=True)
    await _scheduled(core, fake_reddit, "gonewild", nsfw=True)
    await _alice_announces_here(fake_discord)
    clock.advance(timedelta(hours=1))
    [told] = await fake_discord.wait_for("POST", f"/channels/{ALICE_DM}/messages")
    assert told.body["content"] == _live(fake_reddit, "gonewild")
    assert fake_discord.calls_to("POST", f"/channels/{NSFW_CHANNEL_ID}/messages") == []


async def test_an_ordinary_post_is_still_announced_with_its_preview(
        core, clock, fake_reddit, fake_discord, discord_bot, workers):  # noqa: F811
    await _server_is_known(fake_discord, discord_bot)
    await _admin_picks(fake_discord, age_restricted=False)
    await _scheduled(core, fake_reddit, "pics", nsfw=False)
    await _alice_announces_here(fake_discord)
    clock.advance(timedelta(hours=1))
    [announced] = await fake_discord.wait_for("POST", f"/channels/{SFW_CHANNEL_ID}/messages")
    assert not (announced.body.get("flags") or 0) & SUPPRESS_EMBEDS
    row = await until(lambda: sent(core))
    assert row.payload["nsfw"] is False


async def _queued_before_the_flag(core, discord_bot, *, adult: bool) -> Notice:
    """A "posted" notice written before notices carried the post's 18+ flag."""
    async with core.db.session() as session:
        user = await core.users.find(session, "discord", str(ALICE))
        if adult:
            await core.users.confirm_adult(session, user)
    return Notice(0, user.id, POSTED, {"subreddit": "somesub", "title": "Golden hour",
                                        "link": "https://reddit.example/r/somesub/1/"},
                  "target:1:posted", core.clock.now())


async def test_an_old_notice_of_an_adult_creator_stays_private(
        core, fake_discord, discord_bot):
    await _server_is_known(fake_discord, discord_bot)
    await _admin_picks(fake_discord, age_restricted=False)
    await _alice_announces_here(fake_discord)
    notice = await _queued_before_the_flag(core, discord_bot, adult=True)
    assert await DiscordDeliverer(core, discord_bot.client).deliver(notice) is True
    assert len(fake_discord.calls_to("POST", f"/channels/{ALICE_DM}/messages")) == 1
    assert fake_discord.calls_to("POST", f"/channels/{SFW_CHANNEL_ID}/messages") == []


async def test_an_old_notice_of_a_creator_without_adult_is_announced(
        core, fake_discord, discord_bot):
    await _server_is_known(fake_discord, discord_bot)
    await _admin_picks(fake_discord, age_restricted=False)
    await _alice_announces_here(fake_discord)
    notice = await _queued_before_the_flag(core, discord_bot, adult=False)
    assert await DiscordDeliverer(core, discord_bot.client).deliver(notice) is True
    assert len(fake_discord.calls_to("POST", f"/channels/{SFW_CHANNEL_ID}/messages")) == 1
    assert fake_discord.calls_to("POST", f"/channels/{ALICE_DM}/messages") == []
