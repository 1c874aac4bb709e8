"""Scheduled posts tell their creator on Discord without being asked: the posting
worker and the notice delivery loop (core.posting.worker.start_workers, as `serve`
runs them) with the real asyncpraw against the fake Reddit and the real discord.py
client against the fake Discord; time moves only on the fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.discord.deliver import DiscordDeliverer
from bot.discord.news import DM
from bot.telegram.deliver import TelegramDeliverer
from core.db.models import Identity
from core.posting.models import OutboxMessage
from core.posting.outbox import Outbox
from core.posting.service import PostingService, TargetSpec
from core.posting.worker import Workers, start_workers
from core.reddit.client import Credentials
from core.reddit.types import MediaItem, PostRequest
from core.texts import schedule as ts
from core.users import Who
from tests.fakes.discord_payloads import dm_channel
from tests.fakes.reddit import make_jpeg

ALICE = 42
ALICE_DM = dm_channel(ALICE)["id"]


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.fixture
async def workers(core, discord_bot) -> AsyncIterator[Workers]:
    running = start_workers(core, [DiscordDeliverer(core, discord_bot.client)])
    yield running
    await running.stop()


async def scheduled(core, fake_reddit, sub="pics", in_=timedelta(hours=1)):
    """Alice (on Discord) has a photo post scheduled to r/`sub`."""
    fake_reddit.add_sub(sub)
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("discord", str(ALICE), "Alice"))
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        account = await core.reddit.accounts.save(session, user.id, "alice", creds,
                                                  auth_kind="token")
    request = PostRequest(sub, "image", "Golden hour",
                          images=(MediaItem(make_jpeg(), "photo.jpg"),))
    return await PostingService(core).create_job(
        user_id=user.id, account_id=account.id, request=request,
        targets=[TargetSpec(sub, "Golden hour")], due_at=core.clock.now() + in_)


async def notice(core) -> OutboxMessage | None:
    async with core.db.session() as session:
        return (await session.scalars(select(OutboxMessage))).first()


async def until(check, within: float = 60.0):
    """Poll `check` until it is true (a ceiling for a loaded machine, not a deadline)."""
    async with asyncio.timeout(within):
        while True:
            result = await check()
            if result:
                return result
            await asyncio.sleep(0.02)


async def sent(core) -> OutboxMessage | None:
    row = await notice(core)
    return row if row is not None and row.state == "sent" else None


def live_text(fake_reddit, sub="pics") -> str:
    [post] = fake_reddit.posts
    return ts.NOTICE_LIVE.format(title="Golden hour", sub=sub,
                                 link=f"{fake_reddit.url}/r/{sub}/comments/{post.id}/")


async def test_a_scheduled_post_goes_live_and_the_creator_gets_its_link_in_a_dm(
        core, clock, fake_reddit, fake_discord, workers):
    await scheduled(core, fake_reddit)
    clock.advance(timedelta(hours=1))
    [message] = await fake_discord.wait_for("POST", f"/channels/{ALICE_DM}/messages")
    [opened] = fake_discord.calls_to("POST", "/users/@me/channels")
    assert opened.body["recipient_id"] in (ALICE, str(ALICE))
    assert message.body["content"] == live_text(fake_reddit)
    row = await until(lambda: sent(core))
    assert row.transport == "discord"


async def test_delivery_is_retried_after_discord_answers_503(
        core, clock, fake_reddit, fake_discord, workers):
    fake_discord.fail_next("POST", "/messages", 503)
    await scheduled(core, fake_reddit)
    clock.advance(timedelta(hours=1))

    async def failed_once():
        row = await notice(core)
        return row is not None and row.attempts == 1 and row.state == "queued"

    await until(failed_once)
    assert len(fake_discord.refused) == 1
    assert fake_discord.calls_to("POST", "/messages") == []
    clock.advance(timedelta(minutes=15))  # past the outbox's backoff
    [message] = await fake_discord.wait_for("POST", f"/channels/{ALICE_DM}/messages")
    assert message.body["content"] == live_text(fake_reddit)
    row = await until(lambda: sent(core))
    assert row.attempts == 2


async def test_a_delivered_notice_is_never_sent_again(
        core, clock, fake_reddit, fake_discord, workers, discord_bot):
    await scheduled(core, fake_reddit)
    clock.advance(timedelta(hours=1))
    await until(lambda: sent(core))
    clock.advance(timedelta(days=1))
    outbox = Outbox(core.db, core.clock, timedelta(minutes=5))
    again = await outbox.deliver_due([DiscordDeliverer(core, discord_bot.client)])
    assert again == 0
    assert len(fake_discord.calls_to("POST", "/messages")) == 1


async def _linked_on_both(core, fake_reddit) -> None:
    """Alice has a post scheduled and is the same creator on Telegram and Discord."""
    await scheduled(core, fake_reddit)
    async with core.db.session() as session:
        user = await core.users.find(session, "discord", str(ALICE))
        session.add(Identity(user_id=user.id, transport="telegram", external_id=str(ALICE),
                             created_at=core.clock.now()))


async def _deliver_as_serve_does(core, clock, fake_telegram, discord_bot) -> OutboxMessage:
    """Telegram first, then Discord (serve's order); the post goes live; its notice."""
    bot = Bot(fake_telegram.token, base_url=fake_telegram.base_url)
    async with bot:
        running = start_workers(core, [TelegramDeliverer(core, bot),
                                       DiscordDeliverer(core, discord_bot.client)])
        try:
            clock.advance(timedelta(hours=1))
            return await until(lambda: sent(core))
        finally:
            await running.stop()


@pytest.mark.both_backends
async def test_a_creator_linked_on_both_hears_it_once_where_they_chose(
        core, clock, fake_reddit, fake_discord, fake_telegram, discord_bot):
    await _linked_on_both(core, fake_reddit)
    chose = await fake_discord.slash("announce-my-posts",
                                     [{"name": "where", "type": 3, "value": DM}], guild=True)
    await fake_discord.wait_followups(chose)
    row = await _deliver_as_serve_does(core, clock, fake_telegram, discord_bot)
    assert row.transport == "discord"
    assert len(fake_discord.calls_to("POST", "/messages")) == 1
    assert fake_telegram.calls_to("sendMessage") == []


@pytest.mark.both_backends
async def test_without_a_choice_the_first_transport_that_reaches_them_says_it_once(
        core, clock, fake_reddit, fake_discord, fake_telegram, discord_bot):
    await _linked_on_both(core, fake_reddit)
    row = await _deliver_as_serve_does(core, clock, fake_telegram, discord_bot)
    assert row.transport == "telegram"
    assert len(fake_telegram.calls_to("sendMessage")) == 1
    assert fake_discord.calls_to("POST", "/messages") == []


async def test_a_creator_without_discord_is_not_messaged_there(
        core, fake_discord, discord_bot):
    from core.posting.outbox import Notice

    async with core.db.session() as session:
        bob, _ = await core.users.get_or_create(session, Who("console", "bob"))
    deliverer = DiscordDeliverer(core, discord_bot.client)
    bobs = Notice(0, bob.id, "post_live", {"subreddit": "pics"}, "k", core.clock.now())
    assert await deliverer.deliver(bobs) is False
    assert fake_discord.calls_to("POST", "/messages") == []
