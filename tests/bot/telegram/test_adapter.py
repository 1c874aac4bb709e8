"""The real python-telegram-bot Application against the local fake Bot API."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.conversation.events import FileRef
from bot.conversation.replies import FileTooLarge
from bot.telegram.channel import TelegramChannel
from core.inbox.models import InboundUpdate, Status
from core.texts import common
from tests.fakes.telegram import sent_while_advancing


async def open_updates(core) -> int:
    """Updates the inbox has not finished (pending or running)."""
    async with core.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundUpdate)
                                        .where(InboundUpdate.status.in_(Status.OPEN))) or 0)


async def test_start_arrives_by_polling_and_greeting_has_an_inline_keyboard(
    fake_telegram, telegram_bot
):
    await fake_telegram.send_text("/start")
    [call] = await fake_telegram.wait_for("sendMessage")
    assert "Alice" in call.params["text"]
    rows = call.params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in rows[0]] == ["SFW", "NSFW (18+)"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in rows[0])


async def test_a_command_for_another_bot_in_a_group_is_ignored(fake_telegram, telegram_bot):
    await fake_telegram.send_text("/start@other_bot", group_id=-100)
    await fake_telegram.send_text("/help@Thotto_Bot", group_id=-100)  # ours, any case
    calls = await fake_telegram.wait_for("sendMessage")
    assert len(calls) == 1
    assert "/cancel" in calls[0].params["text"]  # the /help answer, nothing for /start


async def test_button_press_is_answered_and_advances_the_flow(fake_telegram, telegram_bot):
    await fake_telegram.send_text("/start")
    [greeting] = await fake_telegram.wait_for("sendMessage")
    nsfw = greeting.params["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    query_id = await fake_telegram.press(greeting.result, nsfw)
    [answer] = await fake_telegram.wait_for("answerCallbackQuery")
    assert answer.params["callback_query_id"] == query_id
    calls = await fake_telegram.wait_for("sendMessage", count=2)
    assert "18" in calls[1].params["text"]


async def test_tampered_callback_data_gets_the_expired_message(fake_telegram, telegram_bot):
    await fake_telegram.send_text("/start")
    [greeting] = await fake_telegram.wait_for("sendMessage")
    await fake_telegram.press(greeting.result, "start|content|nsfw~zzz~forged")
    calls = await fake_telegram.wait_for("sendMessage", count=2)
    assert "expired" in calls[1].params["text"]


async def test_someone_elses_button_is_refused(fake_telegram, telegram_bot):
    await fake_telegram.send_text("/start", user_id=42)
    [greeting] = await fake_telegram.wait_for("sendMessage")
    sfw = greeting.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await fake_telegram.press(greeting.result, sfw, user_id=77)
    calls = await fake_telegram.wait_for("sendMessage", count=2)
    assert "expired" in calls[1].params["text"]


async def test_bot_publishes_its_command_list(fake_telegram, telegram_bot):
    [call] = await fake_telegram.wait_for("setMyCommands")
    assert "start" in call.params["commands"]


async def test_uploaded_file_downloads_through_the_file_endpoint(fake_telegram, telegram_bot):
    file_id = fake_telegram.store_file(b"\xff\xd8 jpeg bytes")
    channel = TelegramChannel(telegram_bot.application.bot, 42)
    data = await channel.download(FileRef("telegram", file_id), max_bytes=1024)
    assert data == b"\xff\xd8 jpeg bytes"


async def test_download_over_the_limit_is_refused_before_fetching(fake_telegram, telegram_bot):
    file_id = fake_telegram.store_file(b"x" * 2048)
    channel = TelegramChannel(telegram_bot.application.bot, 42)
    with pytest.raises(FileTooLarge):
        await channel.download(FileRef("telegram", file_id, size=2048), max_bytes=1024)
    assert fake_telegram.calls_to("getFile") == []


async def test_photo_outside_a_flow_gets_a_friendly_answer(fake_telegram, telegram_bot):
    await fake_telegram.send_photo(b"\xff\xd8 fake", caption="rooftop")
    [call] = await fake_telegram.wait_for("sendMessage")
    assert call.params["text"]


async def test_bot_token_never_reaches_the_logs(fake_telegram, dispatcher, caplog):
    import logging

    from bot.cli.common import setup_logging
    from bot.telegram.adapter import TelegramAdapter
    from core.settings import Settings, TelegramSettings

    settings = Settings(
        app={"log_level": "DEBUG"},
        telegram=TelegramSettings(
            token=fake_telegram.token,
            api_base_url=fake_telegram.base_url,
            file_base_url=fake_telegram.file_base_url,
            poll_timeout=1,
        ),
    )
    setup_logging(settings)
    caplog.set_level(logging.DEBUG)
    async with TelegramAdapter(settings.telegram, dispatcher).polling():
        await fake_telegram.send_text("/start")
        await fake_telegram.wait_for("sendMessage")
    assert "Set Bot API URL" in caplog.text
    assert fake_telegram.token not in caplog.text


async def test_a_reply_telegram_fails_to_take_for_a_moment_is_sent_again(
        fake_telegram, telegram_bot, clock):
    """Telegram answered 502 twice to the age question. The step it asks was committed
    before the reply went out (no transaction across the Bot API), so losing the reply
    would strand the creator: it is sent again, after a backoff on the injected clock,
    until Telegram takes it, and only once."""
    await fake_telegram.send_text("/start")
    [greeting] = await fake_telegram.wait_for("sendMessage")
    nsfw = greeting.params["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    fake_telegram.failures["sendMessage"] = [502, 502]
    await fake_telegram.press(greeting.result, nsfw)
    texts = await sent_while_advancing(fake_telegram, 2, clock,
                                       timedelta(seconds=8))  # the longest backoff
    assert "18" in texts[1]
    assert fake_telegram.failures["sendMessage"] == []  # both 502s were met on the way


async def test_a_reply_telegram_refuses_is_tried_once_and_no_apology_follows(
        fake_telegram, telegram_bot, clock, core):
    """A 400 (Telegram will never take that message) is not retried, and the creator is
    not told "something went wrong": the work the reply described is done (the refusal
    is tracked for the team). The next update is answered as usual."""
    await fake_telegram.send_text("/start")
    await fake_telegram.wait_for("sendMessage")
    fake_telegram.failures["sendMessage"] = [400]
    await fake_telegram.send_text("/help")
    async with asyncio.timeout(60):
        while fake_telegram.failures["sendMessage"] or await open_updates(core):  # noqa: ASYNC110 - polled: the update's end is a database row
            await asyncio.sleep(0.05)
    # a retry, had there been one, would be due (the update is finished first: a jump
    # past the inbox's lease while it still ran would hand it to the consumer again)
    clock.advance(timedelta(seconds=30))
    await fake_telegram.send_text("/cancel")
    texts = [c.params["text"] for c in await fake_telegram.wait_for("sendMessage", 2)]
    assert texts[1] in (common.NOTHING_TO_CANCEL, common.CANCELLED)
    assert len(fake_telegram.calls_to("sendMessage")) == 2  # no retry, no apology
