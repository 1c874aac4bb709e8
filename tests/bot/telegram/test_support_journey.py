"""/support round trip on Telegram (issue 12.6): a creator writes, the team's chat gets
the message with the creator's context, an admin replies to it there, and the creator
gets the answer; both legs go through the outbox (core.posting.outbox) with the real
python-telegram-bot against the fake Bot API."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.telegram.deliver import TelegramDeliverer
from bot.telegram.support_deliver import TeamDeliverer
from core.posting.models import OutboxMessage, State
from core.posting.outbox import Outbox
from core.support import SupportTicket
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_user import TelegramUser

CREATOR, ADMIN, STRANGER = 42, 7, 8
DESK = -100500


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, admin={"telegram_ids": [ADMIN],
                                              "support_chat_id": DESK})


def outbox(core) -> Outbox:
    return Outbox(core.db, core.clock, timedelta(seconds=15))


def deliverers(core, adapter):
    bot = adapter.application.bot
    return [TelegramDeliverer(core, bot), TeamDeliverer(core, bot)]


async def deliver(core, adapter) -> int:
    return await outbox(core).deliver_due(deliverers(core, adapter))


async def delivered(core, adapter, within: float = 60.0) -> int:
    """Deliver until a notice went out: an answer commits just after the admin is told
    "Sent to ticket" (a ceiling for a loaded machine, not a deadline)."""
    async with asyncio.timeout(within):
        while True:
            if handled := await deliver(core, adapter):
                return handled
            await asyncio.sleep(0.02)


async def sent_to(fake: FakeTelegram, chat: int, fragment: str, within: float = 60.0):
    """The bot's message to `chat` containing `fragment` (waits with a ceiling)."""
    async with asyncio.timeout(within):
        while True:
            for call in fake.calls_to("sendMessage"):
                if int(call.params["chat_id"]) == chat and fragment in call.params["text"]:
                    return call
            await asyncio.sleep(0.02)


async def a_ticket_reaches_the_team(core, fake_telegram, telegram_bot):
    creator = TelegramUser(fake_telegram, CREATOR)
    await creator.say("/support My scheduled post never went out")
    confirmation = await creator.expect("ticket #")
    await delivered(core, telegram_bot)
    shown = await sent_to(fake_telegram, DESK, "My scheduled post never went out")
    return confirmation, shown


async def test_a_creator_writes_and_gets_the_admins_answer(core, fake_telegram, telegram_bot):
    confirmation, shown = await a_ticket_reaches_the_team(core, fake_telegram, telegram_bot)
    assert "#1" in confirmation.params["text"]
    context = shown.params["text"]
    for shown_context in ("Ticket #1", "wrote on telegram", "Plan free", "NSFW off",
                          "time zone UTC", "Recent trouble: none recorded"):
        assert shown_context in context

    await fake_telegram.send_text("Fixed it, please check your queue.", user_id=ADMIN,
                                  group_id=DESK, reply_to=shown.result)
    await sent_to(fake_telegram, DESK, "Sent to ticket #1")
    await delivered(core, telegram_bot)
    answer = await sent_to(fake_telegram, CREATOR, "Fixed it, please check your queue.")
    assert "ticket #1" in answer.params["text"]


async def test_an_admin_answers_with_the_reply_command(core, fake_telegram, telegram_bot):
    await a_ticket_reaches_the_team(core, fake_telegram, telegram_bot)
    await fake_telegram.send_text("/reply 1 All good now", user_id=ADMIN)
    await sent_to(fake_telegram, ADMIN, "Sent to ticket #1")
    await delivered(core, telegram_bot)
    await sent_to(fake_telegram, CREATOR, "All good now")


async def test_someone_else_replying_in_the_team_chat_is_refused_kindly(
        core, fake_telegram, telegram_bot):
    _, shown = await a_ticket_reaches_the_team(core, fake_telegram, telegram_bot)
    await fake_telegram.send_text("I can answer this!", user_id=STRANGER, group_id=DESK,
                                  reply_to=shown.result)
    await sent_to(fake_telegram, DESK, "Only the ThottoPilot team can answer")
    async with core.db.read() as session:
        notices = list(await session.scalars(select(OutboxMessage.kind)))
        state = await session.scalar(select(SupportTicket.state))
    assert notices == ["team_support"]  # no answer queued for the creator
    assert state == "open"


async def test_a_non_admin_reply_command_is_refused_kindly(core, fake_telegram, telegram_bot):
    await fake_telegram.send_text("/reply 1 hello", user_id=STRANGER)
    await sent_to(fake_telegram, STRANGER, "Only the ThottoPilot team can answer")


async def test_a_photo_reaches_the_team_before_the_words(core, fake_telegram, telegram_bot):
    creator = TelegramUser(fake_telegram, CREATOR)
    await creator.say("/support")
    await creator.expect("What can we help with?")
    await creator.send_photo(b"\x89PNG screenshot bytes", caption="This screen is blank")
    await creator.expect("ticket #1")
    await delivered(core, telegram_bot)
    [photo] = fake_telegram.calls_to("sendPhoto")
    assert int(photo.params["chat_id"]) == DESK
    assert photo.files["photo"] == b"\x89PNG screenshot bytes"
    await sent_to(fake_telegram, DESK, "This screen is blank")
    # Replying to the photo answers the ticket too.
    await fake_telegram.send_text("Try again now", user_id=ADMIN, group_id=DESK,
                                  reply_to=photo.result)
    await sent_to(fake_telegram, DESK, "Sent to ticket #1")


async def test_the_team_message_is_delivered_again_after_a_crash(
        core, clock, fake_telegram, telegram_bot):
    creator = TelegramUser(fake_telegram, CREATOR)
    await creator.say("/support Where is my post?")
    await creator.expect("ticket #1")
    async with asyncio.timeout(60):  # committed just after the confirmation was sent
        while True:
            async with core.db.read() as session:
                if await session.scalar(select(OutboxMessage.id)) is not None:
                    break
            await asyncio.sleep(0.02)

    sending = asyncio.Event()

    class Hangs:  # a team chat that never answers: the delivering process dies mid-send
        name = "team"

        async def deliver(self, notice):
            sending.set()
            await asyncio.Event().wait()

    crashed = asyncio.create_task(outbox(core).deliver_due([Hangs()]))
    async with asyncio.timeout(60):
        await sending.wait()
    crashed.cancel()
    assert await deliver(core, telegram_bot) == 0  # still leased to the dead process
    clock.advance(timedelta(seconds=16))
    assert await deliver(core, telegram_bot) == 1
    await sent_to(fake_telegram, DESK, "Where is my post?")
    async with core.db.read() as session:
        assert await session.scalar(select(OutboxMessage.state)) == State.SENT
