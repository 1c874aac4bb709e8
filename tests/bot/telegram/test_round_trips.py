"""What one Telegram update costs the database, counted (never timed): SQL statements
and connection checkouts from the moment /start is recorded in the inbox until it is
marked done. A new flow step that adds a query per update shows up here first.

The whole path counts: the inbox (record, claim, finish) and the dispatcher's unit of
work (identity, user, conversation row, the flow, the state). No schema work (no
CREATE, no migration check) may happen per update.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from core.bootstrap import Core
from tests.fakes.telegram import FakeTelegram

CEILING = 60.0
# A first /start creates the user, their identity and conversation row and records
# the sign-up events; a returning one only reads them and moves the state: its update
# recorded and claimed in one INSERT, the sender, their user and the chat's state in
# one SELECT, and the done mark that also tells whether the chat has more waiting.
# Measured 15-17 and 3 (both backends); one more allowed for the consumer's own look
# for further work, which may land inside the counted window or not.
FIRST_START_STATEMENTS = 18
RETURNING_START_STATEMENTS = 4
# Transactions a returning /start commits: on PostgreSQL only the flow's unit of work
# (the inbox's statements commit on their own, no BEGIN or COMMIT round trips); on
# SQLite the record, the done mark and the look that follows it are a transaction
# each, as commits cost no round trip there.
RETURNING_START_COMMITS = {"postgresql": 1, "sqlite": 4}
# Pooled connections taken (each one a ping round trip on PostgreSQL): record, claim,
# the dispatcher's unit of work, finish, and the consumer's looks for more work (2-3,
# plus SQLite's read-only look before each). Measured 6-7.
CHECKOUTS = 8


class Counted:
    def __init__(self) -> None:
        self.statements: list[str] = []
        self.checkouts = 0
        self.commits = 0


@contextmanager
def counting(core: Core) -> Iterator[Counted]:
    seen = Counted()
    engine = core.db.engine.sync_engine

    def on_statement(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        seen.statements.append(" ".join(statement.split()))

    def on_checkout(*_: Any) -> None:
        seen.checkouts += 1

    def on_commit(*_: Any) -> None:
        seen.commits += 1

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine.pool, "checkout", on_checkout)
    event.listen(engine, "commit", on_commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine.pool, "checkout", on_checkout)
        event.remove(engine, "commit", on_commit)


async def _start_once(telegram_bot: Any, fake: FakeTelegram, core: Core, replies: int,
                      text: str = "/start") -> Counted:
    """Statements from the update's INSERT into the inbox to its mark as done; a
    transaction's BEGIN (and SQLite's PRAGMA switching read/write) are not counted, as
    the asyncpg driver sends those outside the statement events anyway."""
    with counting(core) as seen:
        await fake.send_text(text)
        await fake.wait_for("sendMessage", replies, within=CEILING)
        async with asyncio.timeout(CEILING):
            while telegram_bot.inbox.consumer.in_flight:  # noqa: ASYNC110 - ours to watch
                await asyncio.sleep(0.01)
    work = [s for s in seen.statements if not s.startswith(("BEGIN", "PRAGMA"))]
    first = next(i for i, s in enumerate(work) if s.startswith("INSERT INTO inbound_updates"))
    done = next(i for i, s in enumerate(work) if s.startswith("UPDATE inbound_updates")
                and "processed_at" in s)
    seen.statements = work[first:done + 1]
    return seen


async def test_a_first_start_costs_a_bounded_number_of_statements(
        telegram_bot: Any, fake_telegram: FakeTelegram, core: Core) -> None:
    seen = await _start_once(telegram_bot, fake_telegram, core, 1)
    assert len(seen.statements) <= FIRST_START_STATEMENTS, _listed(seen)
    assert not [s for s in seen.statements if s.upper().startswith(("CREATE", "ALTER"))]
    assert seen.checkouts <= CHECKOUTS


async def test_a_returning_start_costs_fewer(
        telegram_bot: Any, fake_telegram: FakeTelegram, core: Core) -> None:
    await _start_once(telegram_bot, fake_telegram, core, 1)
    seen = await _start_once(telegram_bot, fake_telegram, core, 2)
    assert len(seen.statements) <= RETURNING_START_STATEMENTS, _listed(seen)
    assert seen.checkouts <= CHECKOUTS


async def test_a_returning_start_commits_only_the_flows_transaction_on_postgresql(
        telegram_bot: Any, fake_telegram: FakeTelegram, core: Core) -> None:
    await _start_once(telegram_bot, fake_telegram, core, 1)
    seen = await _start_once(telegram_bot, fake_telegram, core, 2)
    assert seen.commits <= RETURNING_START_COMMITS[core.db.dialect], _listed(seen)


async def test_starting_captions_writes_the_chats_state_once(
        telegram_bot: Any, fake_telegram: FakeTelegram, core: Core) -> None:
    await _start_once(telegram_bot, fake_telegram, core, 1)
    seen = await _start_once(telegram_bot, fake_telegram, core, 2, "/caption")
    writes = [s for s in seen.statements if s.startswith("UPDATE conversation_states")]
    assert len(writes) == 1, _listed(seen)


def _listed(seen: Counted) -> str:
    return "\n".join(s[:100] for s in seen.statements)
