"""One chat's events are handled one at a time, in order; other chats don't wait; the
database's writer bound holds across chats, whatever the transport."""

from __future__ import annotations

import asyncio

import pytest

from bot.conversation.ordering import ChatSerializer, running_limit

Log = list[tuple[str, object, int]]


async def _run_all(serializer: ChatSerializer, events: list[tuple[object, int]], log: Log,
                   hold: float) -> None:
    async def work(key: object, n: int) -> int:
        log.append(("start", key, n))
        await asyncio.sleep(hold)
        log.append(("end", key, n))
        return n

    # Adapters call `run` in arrival order, one task per event; so do we.
    tasks = [asyncio.create_task(serializer.run(key, work(key, n))) for key, n in events]
    assert await asyncio.gather(*tasks) == [n for _, n in events]


async def test_one_chats_events_run_one_at_a_time_in_arrival_order():
    log: Log = []
    chat = ("telegram", "7")
    await _run_all(ChatSerializer(running=8), [(chat, n) for n in range(1, 6)], log, 0.01)
    assert log == [(kind, chat, n) for n in range(1, 6) for kind in ("start", "end")]


async def test_different_chats_run_concurrently():
    log: Log = []
    events = [(("telegram", "7"), 1), (("telegram", "8"), 2)]
    await _run_all(ChatSerializer(running=8), events, log, hold=0.05)
    assert [entry[0] for entry in log] == ["start", "start", "end", "end"]


async def test_the_same_chat_id_on_two_transports_is_two_chats():
    log: Log = []
    events = [(("telegram", "7"), 1), (("discord", "7"), 2)]
    await _run_all(ChatSerializer(running=8), events, log, hold=0.05)
    assert [entry[0] for entry in log] == ["start", "start", "end", "end"]


async def test_a_bound_of_one_runs_every_chat_one_by_one():
    log: Log = []
    events = [(("telegram", str(n)), n) for n in range(1, 5)]
    await _run_all(ChatSerializer(running=1), events, log, hold=0.01)
    assert log == [(kind, ("telegram", str(n)), n) for n in range(1, 5)
                   for kind in ("start", "end")]


async def test_idle_chats_leave_no_lock_behind():
    serializer = ChatSerializer(running=8)
    await _run_all(serializer, [(("telegram", str(n)), n) for n in range(1, 20)], [], 0)
    assert serializer.chats_in_line == 0


async def test_a_chat_with_more_queued_events_than_running_slots_doesnt_stall_others():
    """Chat 7 has 6 events queued behind its lock with 2 running slots; chat 8 still
    gets its turn before chat 7's queue has drained."""
    log: Log = []
    busy, other = ("telegram", "7"), ("telegram", "8")
    events = [(busy, n) for n in range(1, 7)] + [(other, 99)]
    await _run_all(ChatSerializer(running=2), events, log, hold=0.01)
    assert log.index(("end", other, 99)) < log.index(("end", busy, 6))


async def test_events_without_a_chat_only_wait_for_a_slot():
    log: Log = []
    await _run_all(ChatSerializer(running=8), [(None, 1), (None, 2)], log, hold=0.05)
    assert [entry[0] for entry in log] == ["start", "start", "end", "end"]


async def test_a_failing_event_frees_its_chat_for_the_next():
    serializer = ChatSerializer(running=1)
    chat = ("telegram", "7")

    async def boom() -> None:
        raise RuntimeError("flow bug")

    async def fine() -> str:
        return "ok"

    first = asyncio.create_task(serializer.run(chat, boom()))
    second = asyncio.create_task(serializer.run(chat, fine()))
    with pytest.raises(RuntimeError):
        await first
    assert await second == "ok"
    assert serializer.chats_in_line == 0


def test_sqlite_runs_one_writer_and_postgresql_many():
    assert running_limit("sqlite") == 1
    assert running_limit("postgresql") > 1
