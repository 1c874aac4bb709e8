"""AiohttpRequest: python-telegram-bot's Bot talking to the fake Bot API over aiohttp.

Every spec drives a real `telegram.Bot` against FakeTelegram on 127.0.0.1, so what is
checked is the wire (what arrived, what came back), never our own code's internals.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, RetryAfter, TimedOut

from core.telegram_http import AiohttpRequest, AnswerTimedOut, bot_requests
from tests.fakes.telegram import FakeTelegram

CEILING = 60.0  # for a loaded machine; never a speed assertion


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url,
                   **bot_requests()) as bot:
        yield bot


def _open_connections(fake: FakeTelegram) -> int:
    assert fake.server is not None
    assert fake.server.runner is not None
    server = fake.server.runner.server
    assert server is not None
    return len(server.connections)


def _hold(fake: FakeTelegram, method: str) -> tuple[asyncio.Event, asyncio.Event]:
    """Make the fake sit on `method` calls: (entered, release)."""
    entered, release = asyncio.Event(), asyncio.Event()

    async def hook(params: dict[str, Any]) -> None:
        entered.set()
        await release.wait()

    fake.hooks[method] = hook
    return entered, release


async def test_a_message_and_its_keyboard_make_the_round_trip(
        bot: Bot, fake_telegram: FakeTelegram) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Caption ✨", callback_data="c:1")]])

    sent = await bot.send_message(chat_id=42, text="Привет, creator 👋", reply_markup=keyboard)

    call = fake_telegram.calls_to("sendMessage")[0]
    assert call.params["text"] == "Привет, creator 👋"
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "c:1"
    assert sent.text == "Привет, creator 👋"
    assert sent.reply_markup == keyboard


async def test_an_uploaded_photo_arrives_byte_for_byte(
        bot: Bot, fake_telegram: FakeTelegram) -> None:
    photo = random.Random(17).randbytes(700_000) + b"\r\n--\r\n"  # boundary-like tail too

    await bot.send_photo(chat_id=42, photo=InputFile(photo, filename="mein fötö.jpg"),
                         caption="protected ✅")

    call = fake_telegram.calls_to("sendPhoto")[0]
    assert call.files["photo"] == photo
    assert call.params["caption"] == "protected ✅"


async def test_a_document_sent_from_an_open_file_arrives_whole(
        bot: Bot, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"title,subreddit\n" * 20_000)

    with path.open("rb") as handle:
        await bot.send_document(chat_id=42, document=handle)

    assert fake_telegram.calls_to("sendDocument")[0].files["document"] == path.read_bytes()


async def test_a_server_slower_than_the_read_timeout_is_timed_out(
        fake_telegram: FakeTelegram) -> None:
    _, release = _hold(fake_telegram, "sendMessage")
    request = AiohttpRequest(read_timeout=0.2)
    try:
        async with asyncio.timeout(CEILING), \
                Bot(fake_telegram.token, base_url=fake_telegram.base_url, request=request,
                    get_updates_request=AiohttpRequest(connection_pool_size=1)) as bot:
            with pytest.raises(TimedOut) as raised:
                await bot.send_message(chat_id=42, text="hello")
            assert isinstance(raised.value, AnswerTimedOut)  # it went out: not re-sent
    finally:
        release.set()


async def test_a_full_pool_times_out_without_sending(fake_telegram: FakeTelegram) -> None:
    entered, release = _hold(fake_telegram, "sendChatAction")
    request = AiohttpRequest(connection_pool_size=1)
    async with asyncio.timeout(CEILING), \
            Bot(fake_telegram.token, base_url=fake_telegram.base_url, request=request,
                get_updates_request=AiohttpRequest(connection_pool_size=1)) as bot:
        busy = asyncio.create_task(bot.send_chat_action(chat_id=42, action="typing"))
        await entered.wait()

        with pytest.raises(TimedOut, match="not") as raised:
            await bot.send_message(chat_id=42, text="waits for the pool",
                                   pool_timeout=0.2, connect_timeout=0.2)
        assert not isinstance(raised.value, AnswerTimedOut)  # never left: sent again

        release.set()
        await busy
    assert fake_telegram.calls_to("sendMessage") == []


async def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    bot = Bot("123:TEST", base_url=f"http://127.0.0.1:{port}/bot", **bot_requests())

    with pytest.raises(NetworkError) as raised:
        await bot.send_message(chat_id=42, text="hello")

    assert not isinstance(raised.value, TimedOut)
    await bot.request.shutdown()


async def test_flood_control_is_pythons_telegram_bots_retry_after(
        bot: Bot, fake_telegram: FakeTelegram) -> None:
    fake_telegram.failures["sendMessage"] = [429]
    fake_telegram.flood_wait = 7

    with pytest.raises(RetryAfter, match=r"Retry in (7 seconds|0:00:07)"):
        await bot.send_message(chat_id=42, text="hello")


async def test_a_long_poll_waits_past_the_read_timeout(fake_telegram: FakeTelegram) -> None:
    """PTB adds getUpdates' `timeout` to the read timeout (1 + 30 s); the fake holds 2 s."""
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url,
                   request=AiohttpRequest(),
                   get_updates_request=AiohttpRequest(connection_pool_size=1,
                                                      read_timeout=1.0)) as bot:
        assert await bot.get_updates(timeout=timedelta(seconds=30)) == ()


async def test_calls_share_one_kept_alive_connection(
        bot: Bot, fake_telegram: FakeTelegram) -> None:
    for n in range(3):
        await bot.send_message(chat_id=42, text=f"message {n}")

    assert _open_connections(fake_telegram) == 1


async def test_shutdown_closes_the_connections(fake_telegram: FakeTelegram) -> None:
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url,
                   **bot_requests()) as bot:
        await bot.send_message(chat_id=42, text="hello")
        assert _open_connections(fake_telegram) == 1

    async with asyncio.timeout(CEILING):
        while _open_connections(fake_telegram):  # noqa: ASYNC110 - the server's side closing
            await asyncio.sleep(0.01)
    with pytest.raises(NetworkError, match="not initialized"):
        await bot.send_message(chat_id=42, text="after shutdown")
