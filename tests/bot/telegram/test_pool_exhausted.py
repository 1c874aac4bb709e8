"""Every database connection in use: the creator hears "busy, I'll answer in a moment"
(not the generic error) and the update is processed once a connection is free.

PostgreSQL with a one-connection pool. The spec takes that connection at the moment the
bot answers the button press (just before the dispatcher opens its unit of work) and
gives it back once the busy answer went out.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from core.bootstrap import Core
from core.inbox.retry import RETRY_AFTER
from core.settings import Settings
from core.texts import common
from core.texts import onboarding as ob
from tests.fakes.clock import FakeClock
from tests.fakes.telegram import FakeTelegram, button_data, sent_while_advancing

CEILING = 60.0


@pytest.fixture
def settings(make_settings: Any, database_url: str) -> Settings:
    if database_url.startswith("sqlite"):
        pytest.skip("the connection pool is PostgreSQL's (SQLite has one writer)")
    pool = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.5}
    return make_settings(database_url, database=pool)  # type: ignore[no-any-return]


@pytest.fixture
async def held(core: Core, fake_telegram: FakeTelegram) -> AsyncIterator[asyncio.Event]:
    """Takes the only connection when the bot answers the next button press, and gives
    it back when the busy answer is sent. Set once the answer went out."""
    taken, answered = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with core.db.engine.connect():
            taken.set()
            await answered.wait()

    holder: list[asyncio.Task[None]] = []

    async def on_answer(_: dict[str, Any]) -> None:
        if not holder:
            holder.append(asyncio.create_task(hold()))
            await taken.wait()

    async def on_send(params: dict[str, Any]) -> None:
        if params.get("text") == common.BUSY_RETRYING:
            answered.set()

    fake_telegram.hooks.update(answerCallbackQuery=on_answer, sendMessage=on_send)
    yield answered
    answered.set()
    await asyncio.gather(*holder)


async def test_a_press_that_finds_no_free_connection_is_answered_busy_then_processed(
    telegram_bot: Any, fake_telegram: FakeTelegram, held: asyncio.Event, clock: FakeClock,
) -> None:
    await fake_telegram.send_text("/start")
    [welcome] = await fake_telegram.wait_for("sendMessage")
    await fake_telegram.press(welcome.result, button_data(welcome, ob.CONTENT_SFW))

    async with asyncio.timeout(CEILING):
        await held.wait()
    texts = await sent_while_advancing(fake_telegram, 3, clock,
                                       timedelta(seconds=RETRY_AFTER))  # the retry's pause

    assert texts[1] == common.BUSY_RETRYING
    assert texts[2].startswith(ob.SFW_CHOSEN)
    assert common.SOMETHING_WENT_WRONG not in texts

