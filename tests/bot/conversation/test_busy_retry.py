"""Every database connection in use, again and again: the person hears "busy, I'll
answer in a moment" once, on the update's first retry, not on every try; once its
retries are spent the update fails with the generic apology, and the error is tracked.

PostgreSQL with a one-connection pool that the spec holds throughout, so every unit
of work the dispatcher opens times out at checkout (a real pool timeout). The update is
processed inside the inbox's retry slot, as the inbox consumer does, with the number of
times it was handed back before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.bootstrap import Core
from core.inbox.retry import MAX_RETRIES, retry_slot
from core.settings import Settings
from core.texts import common
from tests.fakes.chat import ChatDriver


@pytest.fixture
def settings(make_settings: Any, database_url: str) -> Settings:
    if database_url.startswith("sqlite"):
        pytest.skip("the connection pool is PostgreSQL's (SQLite has one writer)")
    pool = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2}
    return make_settings(database_url, database=pool)


@pytest.fixture
async def exhausted(core: Core) -> AsyncIterator[None]:
    """The pool's only connection, held by someone else."""
    async with core.db.engine.connect():
        yield


async def _tried(chat: ChatDriver, retries: int) -> tuple[list[str], Any]:
    """The texts one try of "/start" sends, and its retry slot, after `retries`."""
    before = len(chat.texts)
    with retry_slot(retries) as slot:
        await chat.chat.say("/start")
    return chat.texts[before:], slot


async def test_only_the_first_retry_of_an_update_says_busy(chat, exhausted):
    first, slot = await _tried(chat, 0)
    assert first == [common.BUSY_RETRYING]
    assert slot.asked
    for retries in (1, MAX_RETRIES - 1):
        again, slot = await _tried(chat, retries)
        assert again == []  # tried again quietly: they were told already
        assert slot.asked


async def test_an_update_whose_retries_are_spent_fails_with_the_apology(chat, core,
                                                                       exhausted):
    last, slot = await _tried(chat, MAX_RETRIES)
    assert last == [common.SOMETHING_WENT_WRONG]
    assert (slot.asked, slot.spent) == (False, True)  # the consumer marks it failed
    body = core.analytics.metrics.render()[0].decode()
    assert 'thottopilot_errors_total{where="bot"} 1.0' in body  # tracked like any error
