"""An update processed a second time (its process died after the work committed but
before the inbox marked it done, so the lease lapsed and another consumer ran it
again) must not charge twice: the charge is keyed by the platform's own event id."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select
from telegram import Update

from core.billing.models import UsageCounter
from core.bootstrap import Core
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_user import TelegramUser, message_of

CEILING = 60.0


async def _captions_used(core: Core) -> int:
    async with core.db.read() as session:
        return int(await session.scalar(
            select(func.coalesce(func.sum(UsageCounter.used), 0))) or 0)


async def _idle(telegram_bot: Any) -> None:
    async with asyncio.timeout(CEILING):
        while telegram_bot.inbox.consumer.in_flight:  # noqa: ASYNC110 - ours to watch
            await asyncio.sleep(0.01)


async def test_a_write_captions_press_processed_again_charges_one_caption(
        telegram_bot: Any, fake_telegram: FakeTelegram, core: Core) -> None:
    alice = TelegramUser(fake_telegram)
    await alice.say("/start")
    await alice.tap(await alice.expect("Welcome", within=CEILING), "SFW")
    await alice.say("/caption")
    await alice.expect("Tell me about the post", within=CEILING)
    await alice.say("sunny beach day with my dog")
    setup = await alice.expect("Captions for", within=CEILING)
    await alice.tap(setup, "✍️ Write captions")
    await alice.expect("1.", within=CEILING)
    await _idle(telegram_bot)
    assert await _captions_used(core) == 1

    [answered] = fake_telegram.calls_to("answerCallbackQuery")[-1:]
    query_id = str(answered.params["callback_query_id"])
    data = next(b["callback_data"] for row in setup.params["reply_markup"]["inline_keyboard"]
                for b in row if b["text"] == "✍️ Write captions")
    again = {"update_id": int(query_id[1:]) + 1, "callback_query": {
        "id": query_id, "from": fake_telegram.user(), "chat_instance": "ci", "data": data,
        "message": message_of(setup)}}
    await telegram_bot.application.process_update(
        Update.de_json(again, telegram_bot.application.bot))
    assert await _captions_used(core) == 1
