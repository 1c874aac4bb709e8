"""One chat's updates are handled one at a time, in order; other chats don't wait."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

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


async def test_one_chats_updates_run_one_at_a_time_in_arrival_order():
    log: list[tuple[str, int | None, int]] = []
    updates = [_update(n, chat_id=7) for n in range(1, 6)]
    await _run_all(PerChatUpdateProcessor(running=8), updates, log, hold=0.01)
    assert log == [(kind, 7, n) for n in range(1, 6) for kind in ("start", "end")]


async def test_different_chats_are_processed_concurrently():
    log: list[tuple[str, int | None, int]] = []
    updates = [_update(1, chat_id=7), _update(2, chat_id=8)]
    await _run_all(PerChatUpdateProcessor(running=8), updates, log, hold=0.05)
    assert [entry[0] for entry in log] == ["start", "start", "end", "end"]


async def test_idle_chats_leave_no_lock_behind():
    processor = PerChatUpdateProcessor(running=8)
    await _run_all(processor, [_update(n, chat_id=n) for n in range(1, 20)], [], hold=0)
    assert processor._locks == {}


async def test_a_chat_with_more_queued_updates_than_running_slots_doesnt_stall_others():
    """Chat 7 has 6 updates queued behind its lock with 2 running slots; chat 8 still
    gets its turn before chat 7's queue has drained."""
    log: list[tuple[str, int | None, int]] = []
    updates = [_update(n, chat_id=7) for n in range(1, 7)] + [_update(99, chat_id=8)]
    await _run_all(PerChatUpdateProcessor(running=2), updates, log, hold=0.01)
    assert log.index(("end", 8, 99)) < log.index(("end", 7, 6))
