"""/support from Discord (issue 12.6): a creator's slash command reaches the team's
Telegram chat, and the admin's answer comes back as a Discord DM, not on Telegram;
the real discord.py and python-telegram-bot against their fake servers."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.discord.deliver import DiscordDeliverer
from bot.telegram.deliver import TelegramDeliverer
from bot.telegram.support_deliver import TeamDeliverer
from core.posting.outbox import Outbox
from tests.fakes.discord_payloads import dm_channel
from tests.fakes.discord_user import DiscordUser, content

CREATOR, ADMIN, DESK = 42, 7, -100500
CREATOR_DM = dm_channel(CREATOR)["id"]


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, admin={"telegram_ids": [ADMIN],
                                              "support_chat_id": DESK})


@pytest.mark.both_backends
async def test_a_discord_creator_gets_the_answer_on_discord(
        core, fake_discord, discord_bot, fake_telegram, telegram_bot):
    creator = DiscordUser(fake_discord, CREATOR)
    await creator.command("support", "My queue page is empty")
    await creator.expect("ticket #1")

    tg = telegram_bot.application.bot
    deliverers = [TelegramDeliverer(core, tg), DiscordDeliverer(core, discord_bot.client),
                  TeamDeliverer(core, tg)]
    outbox = Outbox(core.db, core.clock, timedelta(seconds=15))
    # "ticket #1" is sent before the flow's unit of work commits the ticket's notice
    assert await delivered(outbox, deliverers) == 1
    [shown] = fake_telegram.calls_to("sendMessage")
    assert int(shown.params["chat_id"]) == DESK
    assert "wrote on discord" in shown.params["text"]

    await fake_telegram.send_text("It's back now", user_id=ADMIN, group_id=DESK,
                                  reply_to=shown.result)
    await fake_telegram.wait_for("sendMessage", count=2)  # "Sent to ticket #1"
    await delivered(outbox, deliverers)  # the answer commits just after "Sent to…"
    [dm] = fake_discord.calls_to("POST", f"/channels/{CREATOR_DM}/messages")
    assert "It's back now" in content(dm)
    assert len(fake_telegram.calls_to("sendMessage")) == 2  # nothing to the creator there


async def delivered(outbox: Outbox, deliverers, within: float = 60.0) -> int:
    """Deliver until a notice went out (a ceiling for a loaded machine)."""
    async with asyncio.timeout(within):
        while True:
            if handled := await outbox.deliver_due(deliverers):
                return handled
            await asyncio.sleep(0.02)
