"""Scheduled posts tell their creator on Telegram without being asked: the posting
worker and the notice delivery loop (core.posting.worker.start_workers, as `serve`
runs them) with the real asyncpraw against the fake Reddit and the real
python-telegram-bot against the fake Bot API; time moves only on the fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.telegram.deliver import TelegramDeliverer
from core.posting.models import OutboxMessage
from core.posting.outbox import Notice
from core.posting.service import PostingService, TargetSpec
from core.posting.worker import Workers, start_workers
from core.reddit.client import Credentials
from core.reddit.types import MediaItem, PostRequest
from core.users import Who
from tests.fakes.reddit import make_jpeg
from tests.fakes.telegram import FakeTelegram

ALICE = 42


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.fixture
async def workers(core, fake_telegram: FakeTelegram) -> AsyncIterator[Workers]:
    bot = Bot(fake_telegram.token, base_url=fake_telegram.base_url)
    async with bot:
        running = start_workers(core, [TelegramDeliverer(core, bot)])
        yield running
        await running.stop()


async def _scheduled(core, fake_reddit, sub="pics", in_=timedelta(hours=1)):
    """Alice (on Telegram) has a photo post scheduled to r/`sub`."""
    fake_reddit.add_sub(sub)
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", str(ALICE), "Alice"))
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        account = await core.reddit.accounts.save(session, user.id, "alice", creds,
                                                  auth_kind="token")
    request = PostRequest(sub, "image", "Golden hour",
                          images=(MediaItem(make_jpeg(), "photo.jpg"),))
    return await PostingService(core).create_job(
        user_id=user.id, account_id=account.id, request=request,
        targets=[TargetSpec(sub, "Golden hour")], due_at=core.clock.now() + in_)


async def _notice(core) -> OutboxMessage | None:
    async with core.db.session() as session:
        return (await session.scalars(select(OutboxMessage))).first()


async def _until(check, within: float = 60.0):
    """Poll `check` until it is true (a ceiling for a loaded machine, not a deadline)."""
    async with asyncio.timeout(within):
        while True:
            result = await check()
            if result:
                return result
            await asyncio.sleep(0.02)


async def test_a_scheduled_post_goes_live_and_the_creator_gets_its_link(
        core, clock, fake_reddit, fake_telegram, workers):
    await _scheduled(core, fake_reddit)
    clock.advance(timedelta(hours=1))
    [sent] = await fake_telegram.wait_for("sendMessage")
    [post] = fake_reddit.posts
    assert int(sent.params["chat_id"]) == ALICE
    assert sent.params["text"] == (f"Your post “Golden hour” is live on r/pics: "
                                   f"{fake_reddit.url}/r/pics/comments/{post.id}/")
    row = await _until(lambda: _sent(core))
    assert row.transport == "telegram"


async def _sent(core) -> OutboxMessage | None:
    row = await _notice(core)
    return row if row is not None and row.state == "sent" else None


async def test_delivery_is_retried_after_telegram_answers_502(
        core, clock, fake_reddit, fake_telegram, workers):
    fake_telegram.failures["sendMessage"] = [502]
    await _scheduled(core, fake_reddit)
    clock.advance(timedelta(hours=1))

    async def failed_once():
        row = await _notice(core)
        return row is not None and row.attempts == 1 and row.state == "queued"

    await _until(failed_once)
    assert fake_telegram.calls_to("sendMessage") == []
    clock.advance(timedelta(minutes=15))  # past the outbox's backoff
    [sent] = await fake_telegram.wait_for("sendMessage")
    assert "is live on r/pics" in sent.params["text"]
    row = await _until(lambda: _sent(core))
    assert row.attempts == 2  # marked sent: no delivery loop will send it again
    assert len(fake_telegram.calls_to("sendMessage")) == 1


async def test_a_failed_post_names_the_reason_and_a_next_step(
        core, clock, fake_reddit, fake_telegram, workers):
    fake_reddit.fail_next_submit_to["closed"] = [
        "SUBREDDIT_NOTALLOWED", "you aren't allowed to post there.", "sr"]
    await _scheduled(core, fake_reddit, sub="closed")
    clock.advance(timedelta(hours=1))
    [sent] = await fake_telegram.wait_for("sendMessage")
    assert sent.params["text"] == (
        "Your post “Golden hour” to r/closed didn't go out. r/closed only lets approved "
        "users post there. Try another subreddit with /post.")
    assert fake_reddit.posts == []


async def test_a_creator_without_telegram_is_not_messaged_there(
        core, clock, fake_reddit, fake_telegram, workers):
    job = await _scheduled(core, fake_reddit)
    async with core.db.session() as session:
        await core.users.get_or_create(session, Who("console", "bob"))
    deliverer = TelegramDeliverer(core, Bot(fake_telegram.token,
                                            base_url=fake_telegram.base_url))
    bob_notice = Notice(0, job.user_id + 1, "post_live", {"subreddit": "pics"}, "k",
                        core.clock.now())
    assert await deliverer.deliver(bob_notice) is False
    assert fake_telegram.calls_to("sendMessage") == []
