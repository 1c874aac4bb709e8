"""`serve --role web|bot|worker`: each process runs only its part, and the parts
together make the service: a web process records a Telegram update, a bot process
answers it, a worker process delivers notices with no chat listener of its own.
In-process runs of `serve` on one database, time on a fake clock."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from sqlalchemy import select

from bot.cli import build_parser
from bot.roles import Role
from bot.runner import serve
from bot.shared_state import unshared
from bot.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from core.inbox import InboundUpdate
from core.posting.outbox import POSTED, notify
from core.users import Who

SECRET = "s3cret-webhook-token"
CEILING = 60.0
LISTENERS = ("getUpdates", "setWebhook", "deleteWebhook", "setMyCommands")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


async def _until_listening(port: int) -> None:
    async def look() -> None:
        while not _listening(port):  # noqa: ASYNC110 - the event is a socket opening
            await asyncio.sleep(0.01)

    await asyncio.wait_for(look(), CEILING)


@asynccontextmanager
async def _serving(settings, clock, role: Role) -> AsyncIterator[None]:
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop, clock=clock, role=role))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(running, CEILING)
    assert running.exception() is None


def _settings(make_settings, database_url, fake_telegram, **telegram):
    port = _free_port()
    web = {"port": port, "public_url": f"http://127.0.0.1:{port}"}
    return make_settings(database_url, web=web, telegram={
        "token": fake_telegram.token, "api_base_url": fake_telegram.base_url,
        "file_base_url": fake_telegram.file_base_url, "poll_timeout": 1, **telegram})


async def test_a_worker_delivers_notices_without_listening_for_chats_or_http(
    make_settings, database_url, fake_telegram, clock, core
):
    settings = _settings(make_settings, database_url, fake_telegram)
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "42", "Alice"))
        await notify(session, clock.now(), user.id, POSTED, "post:1:pics",
                     subreddit="pics", title="Golden hour", link="https://redd.it/abc")
    async with _serving(settings, clock, Role.WORKER):
        [sent] = await fake_telegram.wait_for("sendMessage", within=CEILING)
        assert sent.params["chat_id"] == "42"  # form-encoded
        assert "Golden hour" in sent.params["text"]
        assert not _listening(settings.web.port)
    assert [c.method for c in fake_telegram.calls if c.method in LISTENERS] == []


async def test_a_web_process_records_an_update_and_a_bot_process_answers_it(
    make_settings, database_url, fake_telegram, clock, core
):
    settings = _settings(make_settings, database_url, fake_telegram, mode="webhook",
                         webhook_secret=SECRET)
    url = f"http://127.0.0.1:{settings.web.port}{WEBHOOK_PATH}"
    update = {"update_id": 7, "message": {
        "message_id": 1, "date": 1_764_000_000, "text": "/help",
        "from": fake_telegram.user(), "chat": {"id": 42, "type": "private"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}
    async with _serving(settings, clock, Role.WEB):
        await _until_listening(settings.web.port)
        async with aiohttp.ClientSession() as http, \
                http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as resp:
            assert resp.status == 200
        async with core.db.read() as session:
            assert await session.scalar(select(InboundUpdate.status)) == "pending"
        assert fake_telegram.calls_to("sendMessage") == []  # web only records
        assert fake_telegram.calls_to("setWebhook") == []  # registering is the bot's
        async with _serving(settings, clock, Role.BOT):
            [reply] = await fake_telegram.wait_for("sendMessage", within=CEILING)
            assert "/help" in reply.params["text"]
            [hook] = fake_telegram.calls_to("setWebhook")
            assert hook.params["url"] == url


async def test_a_bot_process_polls_telegram_and_opens_no_port(
    make_settings, database_url, fake_telegram, clock
):
    settings = _settings(make_settings, database_url, fake_telegram)
    async with _serving(settings, clock, Role.BOT):
        await fake_telegram.send_text("/help")
        [reply] = await fake_telegram.wait_for("sendMessage", within=CEILING)
        assert "/help" in reply.params["text"]
        assert not _listening(settings.web.port)


def test_an_unknown_role_is_refused_with_the_choices(capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser(["serve", "--role", "everything"]).parse_args(
            ["serve", "--role", "everything"])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'everything'" in error
    assert "web" in error
    assert "worker" in error


def test_serve_runs_every_role_unless_told_otherwise():
    args = build_parser(["serve"]).parse_args(["serve"])
    assert Role(args.role) is Role.ALL


def test_on_postgresql_start_up_names_what_would_stay_per_machine(make_settings):
    settings = make_settings("postgresql+asyncpg://db.internal/thotto",
                             security={"secret_key": None})
    found = " ".join(unshared(settings))
    for setting in ("security.secret_key", "push.vapid_private_key", "posting.media_dir",
                    "redis.url"):
        assert setting in found
    assert "outbound message limits are per process" in found


def test_on_sqlite_everything_is_one_machines_anyway(make_settings):
    assert unshared(make_settings(security={"secret_key": None})) == []


async def test_a_bot_process_with_no_chat_transport_says_so(
    make_settings, database_url, clock, caplog
):
    settings = make_settings(database_url, web={"port": _free_port()})
    async with _serving(settings, clock, Role.BOT):
        pass
    assert "the bot role runs no chat transport" in caplog.text
