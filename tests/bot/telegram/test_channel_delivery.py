"""Which failed replies are sent again (bot.telegram.channel.delivery_verdict), through
the real outbox, python-telegram-bot and our aiohttp request against the fake Bot API.

A reply Telegram never got (a 5xx) is tried again; one whose answer was slower than
the read timeout has most likely been shown already, and is not sent a second time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from telegram import Bot
from telegram.error import TimedOut

from bot.conversation.outbox import ReplyOutbox
from bot.conversation.replies import Reply
from bot.telegram.channel import TelegramChannel
from core.bootstrap import Core
from core.telegram_http import AiohttpRequest
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


async def _held(core: Core, bot: Bot, text: str) -> ReplyOutbox:
    """An outbox holding one reply, its unit of work committed."""
    async with core.db.session() as session:
        outbox = ReplyOutbox(TelegramChannel(bot, 42), session, core.clock)
        await outbox.send(Reply(text))
    return outbox


async def test_a_reply_telegram_was_slow_to_confirm_is_not_sent_twice(
        core: Core, fake_telegram: FakeTelegram, slow_to_answer_bot: Bot) -> None:
    release = asyncio.Event()

    async def answer_late(_params: dict[str, Any]) -> None:
        await release.wait()

    fake_telegram.hooks["sendMessage"] = answer_late
    outbox = await _held(core, slow_to_answer_bot, "Saved for Friday 18:00.")
    try:
        async with asyncio.timeout(CEILING):  # a retry would wait on the fake clock
            await outbox.deliver()
    finally:
        release.set()
    await fake_telegram.wait_for("sendMessage", 1, within=CEILING)
    assert len(outbox.undelivered) == 1
    assert isinstance(outbox.undelivered[0], TimedOut)
    assert len(fake_telegram.calls_to("sendMessage")) == 1


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
