"""Anomaly alerts reach the team's Telegram chat through the outbox's `team`
deliverer: the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.telegram.support_deliver import TeamDeliverer
from core.analytics.alerts import AlertChecker
from core.posting.outbox import Outbox
from core.users import Who

ADMIN, DESK = 7, -100500


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, admin={"telegram_ids": [ADMIN], "support_chat_id": DESK})


async def deliver(core, telegram_bot) -> int:
    outbox = Outbox(core.db, core.clock, timedelta(seconds=15))
    return await outbox.deliver_due([TeamDeliverer(core, telegram_bot.application.bot)])


def texts_to(fake, chat: int) -> list[str]:
    return [c.params["text"] for c in fake.calls_to("sendMessage")
            if int(c.params["chat_id"]) == chat]


async def test_an_alert_and_its_all_clear_reach_the_team_chat(core, clock, fake_telegram,
                                                             telegram_bot):
    async with core.db.session() as session:
        await core.users.get_or_create(session, Who("telegram", str(ADMIN)))
    load = [3.5]
    checker = AlertChecker(core, load=lambda: load[0])
    await checker.check()
    assert await deliver(core, telegram_bot) == 1
    clock.advance(timedelta(minutes=7))
    load[0] = 0.3
    await checker.check()
    assert await deliver(core, telegram_bot) == 1
    assert texts_to(fake_telegram, DESK) == [
        "🔥 The machine is busy: load is 3.5 per CPU (alert above 2.0).",
        "✅ Back to normal: machine load (the alert was open for 7 min).",
    ]
