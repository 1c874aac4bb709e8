"""PTB hands every update to the shared serializer, keyed by ("telegram", chat id)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.conversation.ordering import ChatSerializer
from bot.telegram.ordering import PerChatUpdateProcessor, chat_key


def _update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "Alice", is_bot=False)
    chat = Chat(chat_id, Chat.PRIVATE)
    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="hi")
    return Update(update_id, message=message)


async def _run_all(processor, updates, log, hold: float):
    async def work(update):
        key = chat_key(update)
        log.append(("start", key, update.update_id))
        await asyncio.sleep(hold)
        log.append(("end", key, update.update_id))

    async with processor:
        # PTB creates one task per update, in arrival order; so do we.
        tasks = [asyncio.create_task(processor.process_update(u, work(u))) for u in updates]
        await asyncio.gather(*tasks)


def test_an_update_is_keyed_by_transport_and_chat():
    assert chat_key(_update(1, chat_id=7)) == ("telegram", "7")
    assert chat_key(Update(2)) is None


async def test_one_chats_updates_run_one_at_a_time_in_arrival_order():
    log: list[tuple[str, object, int]] = []
    updates = [_update(n, chat_id=7) for n in range(1, 6)]
    await _run_all(PerChatUpdateProcessor(ChatSerializer(8)), updates, log, hold=0.01)
    assert log == [(kind, ("telegram", "7"), n) for n in range(1, 6)
                   for kind in ("start", "end")]


async def test_the_processor_uses_the_serializer_it_is_given():
    serializer = ChatSerializer(running=8)
    processor = PerChatUpdateProcessor(serializer)
    await _run_all(processor, [_update(n, chat_id=n) for n in range(1, 5)], [], hold=0)
    assert processor.serializer is serializer
    assert serializer.chats_in_line == 0
