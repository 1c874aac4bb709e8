"""Which failed sends are sent again, through the real outboxes (a flow's replies,
bot.telegram.channel.delivery_verdict; the scheduler's notices, bot.telegram.deliver),
python-telegram-bot and our aiohttp request against the fake Bot API.

A message Telegram never got (a 5xx) is tried again; one whose answer was slower than
the read timeout has most likely been shown already, and is not sent a second time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Bot
from telegram.error import TimedOut

from bot.conversation.outbox import ReplyOutbox
from bot.conversation.replies import Reply
from bot.telegram.channel import TelegramChannel
from bot.telegram.deliver import TelegramDeliverer
from core.bootstrap import Core
from core.posting.models import OutboxMessage, State
from core.posting.outbox import Outbox, notify
from core.telegram_http import AiohttpRequest
from core.users import Who
from tests.fakes.clock import FakeClock
from tests.fakes.telegram import FakeTelegram

CEILING = 60.0  # seconds: waiting for an event on a loaded machine


@pytest.fixture
async def slow_to_answer_bot(fake_telegram: FakeTelegram) -> AsyncIterator[Bot]:
    """A bot whose calls give up waiting for an answer after 0.3 s (production: 5 s)."""
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url,
                   request=AiohttpRequest(read_timeout=0.3),
                   get_updates_request=AiohttpRequest(connection_pool_size=1)) as bot:
        yield bot


class LateAnswers:
    """The fake sits on every sendMessage until `release` is set, counting arrivals
    (the fake records a call only once answered, and a caller that gave up waiting
    closes the connection before that)."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.release = asyncio.Event()
        self.arrived: list[str] = []
        fake.hooks["sendMessage"] = self._answer_late

    async def _answer_late(self, params: dict[str, Any]) -> None:
        self.arrived.append(str(params["text"]))
        await self.release.wait()


async def _held(core: Core, bot: Bot, text: str) -> ReplyOutbox:
    """An outbox holding one reply, its unit of work committed."""
    async with core.db.session() as session:
        outbox = ReplyOutbox(TelegramChannel(bot, 42), session, core.clock)
        await outbox.send(Reply(text))
    return outbox


async def test_a_reply_telegram_was_slow_to_confirm_is_not_sent_twice(
        core: Core, fake_telegram: FakeTelegram, slow_to_answer_bot: Bot) -> None:
    late = LateAnswers(fake_telegram)
    outbox = await _held(core, slow_to_answer_bot, "Saved for Friday 18:00.")
    try:
        async with asyncio.timeout(CEILING):  # a retry would wait on the fake clock
            await outbox.deliver()
    finally:
        late.release.set()
    assert len(outbox.undelivered) == 1
    assert isinstance(outbox.undelivered[0], TimedOut)
    assert late.arrived == ["Saved for Friday 18:00."]


async def test_a_reply_telegram_failed_to_take_is_sent_again(
        core: Core, clock: FakeClock, fake_telegram: FakeTelegram,
        slow_to_answer_bot: Bot) -> None:
    fake_telegram.failures["sendMessage"] = [502]
    outbox = await _held(core, slow_to_answer_bot, "Saved for Friday 18:00.")
    delivering = asyncio.create_task(outbox.deliver())
    async with asyncio.timeout(CEILING):
        await clock.parked(delivering)  # the pause before the second try
        clock.advance(timedelta(seconds=30))
        await delivering
    assert outbox.undelivered == []
    assert [c.params["text"] for c in fake_telegram.calls_to("sendMessage")] \
        == ["Saved for Friday 18:00."]


async def test_a_notice_telegram_was_slow_to_confirm_counts_as_sent_and_goes_once(
        core: Core, clock: FakeClock, fake_telegram: FakeTelegram,
        slow_to_answer_bot: Bot) -> None:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "42", "Alice"))
        await notify(session, clock.now(), user.id, "post_live", "target:1:posted",
                     title="Golden hour", subreddit="pics", link="https://redd.it/1")
    notices = Outbox(core.db, clock, timedelta(seconds=30))
    deliverer = TelegramDeliverer(core, slow_to_answer_bot)
    late = LateAnswers(fake_telegram)
    try:
        async with asyncio.timeout(CEILING):
            assert await notices.deliver_due([deliverer]) == 1
    finally:
        late.release.set()
    async with core.db.read() as session:
        [row] = await session.scalars(select(OutboxMessage))
        assert (row.state, row.transport) == (State.SENT, "telegram")
    clock.advance(timedelta(hours=1))  # past any retry's backoff
    assert await notices.deliver_due([deliverer]) == 0
    assert len(late.arrived) == 1
