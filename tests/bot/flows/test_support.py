"""/support from the terminal chat (issue 12.6): the creator's words reach the team's
Telegram chat and the admin's answer comes back to the terminal, through the outbox
with the console's own deliverer; and the friendly answers to bad input."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import build_dispatcher
from bot.console_deliver import ConsoleDeliverer
from bot.telegram.support_deliver import TeamDeliverer
from core.bootstrap import open_core
from core.posting.models import OutboxMessage
from core.posting.outbox import Outbox
from core.support import SupportMessage
from tests.fakes.chat import ChatDriver
from tests.fakes.photos import camera_photo

ADMIN = 7
PHOTO = camera_photo()


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, admin={"telegram_ids": [ADMIN],
                                              "support_per_hour": 2})


def outbox(core) -> Outbox:
    return Outbox(core.db, core.clock, timedelta(seconds=15))


async def alice_id(core) -> int:
    async with core.db.read() as session:
        user = await core.users.find(session, "console", "alice")
        assert user is not None
        return user.id


async def test_a_terminal_creator_gets_the_answer_in_the_terminal(
        core, chat, fake_telegram, telegram_bot):
    await chat.send("/support")
    sent = await chat.send("The caption button does nothing")
    assert "ticket #1" in sent.text
    assert await outbox(core).deliver_due([TeamDeliverer(core, telegram_bot.application.bot)])
    [shown] = fake_telegram.calls_to("sendMessage")
    assert int(shown.params["chat_id"]) == ADMIN  # no support chat: the admin's own chat
    assert "wrote on console" in shown.params["text"]

    await fake_telegram.send_text("Restarted it, try now", user_id=ADMIN,
                                  reply_to=shown.result)
    await fake_telegram.wait_for("sendMessage", count=2)  # "Sent to ticket #1"
    console = ConsoleDeliverer(chat.channel, await alice_id(core))
    async with asyncio.timeout(60):  # the answer commits just after "Sent to ticket"
        while not any("Restarted it, try now" in line for line in chat.output):
            await outbox(core).deliver_due([console])
            await asyncio.sleep(0.02)


async def test_the_words_can_follow_the_command(chat):
    sent = await chat.send("/support where do I change my time zone?")
    assert "ticket #1" in sent.text


async def test_a_photo_with_words_is_passed_on(core, chat):
    await chat.send("/support")
    sent = await chat.upload(PHOTO, caption="See this error")
    assert "ticket #1" in sent.text
    async with core.db.read() as session:
        stored = (await session.execute(
            select(SupportMessage.text, SupportMessage.photo))).one()
    assert tuple(stored) == ("See this error", PHOTO)


async def test_an_overlong_message_is_refused_and_can_be_sent_shorter(chat):
    await chat.send("/support")
    sent = await chat.send("x" * 3001)
    assert "3000 characters" in sent.text
    assert "ticket #1" in (await chat.send("Shorter")).text


async def test_too_many_messages_in_an_hour_get_a_friendly_wait(core, clock, chat):
    await chat.send("/support one")
    await chat.send("/support two")
    sent = await chat.send("/support three")
    assert "2 times in the last hour" in sent.text
    clock.advance(timedelta(minutes=61))
    assert "ticket #3" in (await chat.send("/support three")).text


async def test_without_a_team_deliverer_the_message_waits_queued(core, chat):
    """`thottopilot chat` delivers only the creator's notices: the team's stays queued
    for the `serve` process with Telegram (nothing shown in the terminal, nothing lost)."""
    await chat.send("/support still there?")
    console = ConsoleDeliverer(chat.channel, await alice_id(core))
    assert await outbox(core).deliver_due([console]) == 0
    async with core.db.read() as session:
        assert await session.scalar(select(OutboxMessage.state)) == "queued"


async def test_a_creator_cannot_answer_tickets(chat):
    sent = await chat.send("/reply 1 I'm the team now")
    assert "Only the ThottoPilot team" in sent.text


async def test_terms_links_the_pages(chat):
    sent = await chat.send("/terms")
    assert "http://127.0.0.1:8080/terms" in sent.text
    assert "http://127.0.0.1:8080/privacy" in sent.text


async def test_help_lists_support_and_terms(chat):
    sent = await chat.send("/help")
    assert "/support" in sent.text
    assert "/terms" in sent.text


async def test_terms_links_the_configured_public_address(make_settings, database_url, clock):
    settings = make_settings(database_url, web={"public_url": "https://thotto.example/"})
    async with open_core(settings, clock=clock) as core:
        sent = await ChatDriver(build_dispatcher(core)).send("/terms")
    assert "https://thotto.example/terms" in sent.text
    assert "https://thotto.example/privacy" in sent.text
