"""Webhook mode across processes: two web companions, each with its own Core, on one
database (SQLite, and PostgreSQL when configured), behind one public URL. Telegram may
deliver any update to either; one chat's updates are still handled in order, a
redelivered update_id once, and setWebhook is called once per deploy."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_dispatcher
from bot.telegram.adapter import TelegramAdapter
from bot.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from core.bootstrap import open_core
from core.settings import TelegramMode, TelegramSettings
from tests.fakes.telegram import FakeTelegram
from web.app import init_app

SECRET = "s3cret-webhook-token"
PUBLIC_URL = "https://bot.example.com/"  # the balancer in front of every process
CEILING = 60.0


def _update(update_id: int, text: str, chat: int = 42) -> dict:
    user = {"id": chat, "is_bot": False, "first_name": "Alice"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_764_000_000, "text": text, "from": user,
        "chat": {"id": chat, "type": "private"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}}


def _telegram(fake: FakeTelegram, secret: str = SECRET) -> TelegramSettings:
    return TelegramSettings(token=fake.token, api_base_url=fake.base_url,
                            file_base_url=fake.file_base_url, mode=TelegramMode.WEBHOOK,
                            webhook_secret=secret)


class Process:
    """One process of the deploy: its own Core, dispatcher, adapter and web server."""

    def __init__(self, client: TestClient, adapter: TelegramAdapter) -> None:
        self.client, self.adapter = client, adapter

    async def deliver(self, update: dict) -> int:
        resp = await self.client.post(WEBHOOK_PATH, json=update,
                                      headers={SECRET_HEADER: SECRET})
        return resp.status


async def _process(stack: AsyncExitStack, settings, clock, fake: FakeTelegram,
                   secret: str = SECRET) -> Process:
    core = await stack.enter_async_context(open_core(settings, clock=clock))
    adapter = TelegramAdapter(_telegram(fake, secret), build_dispatcher(core))
    app = init_app(core)
    adapter.mount_webhook(app)
    client = await stack.enter_async_context(TestClient(TestServer(app, host="127.0.0.1")))
    return Process(client, adapter)


@pytest.fixture
async def two(settings, clock, fake_telegram) -> AsyncIterator[tuple[Process, Process]]:
    async with AsyncExitStack() as stack:
        a = await _process(stack, settings, clock, fake_telegram)
        b = await _process(stack, settings, clock, fake_telegram)
        await stack.enter_async_context(a.adapter.webhook(PUBLIC_URL))
        await stack.enter_async_context(b.adapter.webhook(PUBLIC_URL))
        yield a, b


def _kind(text: str) -> str:
    return "help" if "/post" in text and "/caption" in text else "other"


async def test_one_chats_updates_landing_on_alternate_processes_are_handled_in_order(
    two, fake_telegram
):
    a, b = two
    texts = ["/start", "/help"] * 4  # what the replies must follow, one after the other
    for n, text in enumerate(texts):
        assert await (a if n % 2 == 0 else b).deliver(_update(100 + n, text)) == 200
    await fake_telegram.wait_for("sendMessage", count=len(texts), within=CEILING)
    replies = [c.params["text"] for c in fake_telegram.calls_to("sendMessage")]
    assert [_kind(r) for r in replies] == ["other", "help"] * 4


async def test_an_update_redelivered_to_the_other_process_is_handled_once(
    two, fake_telegram
):
    a, b = two
    for process in (a, b, a, b):  # Telegram retrying an update it thinks was missed
        assert await process.deliver(_update(500, "/help")) == 200
    assert await b.deliver(_update(501, "/start")) == 200
    # in order: once /start (the next update of the chat) is answered, every /help that
    # was ever going to be handled has been
    await fake_telegram.wait_for("sendMessage", count=2, within=CEILING)
    replies = [c.params["text"] for c in fake_telegram.calls_to("sendMessage")]
    assert [_kind(r) for r in replies] == ["help", "other"]


async def test_processes_starting_together_call_set_webhook_once(
    settings, clock, fake_telegram
):
    async with AsyncExitStack() as stack:
        processes = [await _process(stack, settings, clock, fake_telegram) for _ in range(4)]
        await asyncio.gather(*(stack.enter_async_context(p.adapter.webhook(PUBLIC_URL))
                               for p in processes))
        [call] = fake_telegram.calls_to("setWebhook")
        assert call.params["url"] == PUBLIC_URL + WEBHOOK_PATH.lstrip("/")
        assert len(fake_telegram.calls_to("setMyCommands")) == 1


async def test_a_restarted_process_of_the_same_deploy_does_not_register_again(
    settings, clock, fake_telegram
):
    for _ in range(2):
        async with AsyncExitStack() as stack:
            process = await _process(stack, settings, clock, fake_telegram)
            await stack.enter_async_context(process.adapter.webhook(PUBLIC_URL))
    assert len(fake_telegram.calls_to("setWebhook")) == 1


async def test_a_rotated_secret_is_a_new_deploy_and_registers_again(
    settings, clock, fake_telegram
):
    for secret in (SECRET, "rotated-webhook-secret"):
        async with AsyncExitStack() as stack:
            process = await _process(stack, settings, clock, fake_telegram, secret)
            await stack.enter_async_context(process.adapter.webhook(PUBLIC_URL))
    secrets = [c.params["secret_token"] for c in fake_telegram.calls_to("setWebhook")]
    assert secrets == [SECRET, "rotated-webhook-secret"]


async def test_going_back_to_an_earlier_setup_registers_it_again(
    settings, clock, fake_telegram
):
    for secret in (SECRET, "rotated-webhook-secret", SECRET):  # a rollback
        async with AsyncExitStack() as stack:
            process = await _process(stack, settings, clock, fake_telegram, secret)
            await stack.enter_async_context(process.adapter.webhook(PUBLIC_URL))
    secrets = [c.params["secret_token"] for c in fake_telegram.calls_to("setWebhook")]
    assert secrets == [SECRET, "rotated-webhook-secret", SECRET]


async def test_a_failed_registration_is_left_to_the_next_attempt(
    settings, clock, fake_telegram
):
    fake_telegram.failures["setWebhook"] = [502]  # Telegram down for the first try
    async with AsyncExitStack() as stack:
        first = await _process(stack, settings, clock, fake_telegram)
        with pytest.raises(Exception, match="Bad Gateway"):
            await stack.enter_async_context(first.adapter.webhook(PUBLIC_URL))
        second = await _process(stack, settings, clock, fake_telegram)
        await stack.enter_async_context(second.adapter.webhook(PUBLIC_URL))
    [call] = fake_telegram.calls_to("setWebhook")  # the failed try was never recorded
    assert call.params["secret_token"] == SECRET


async def test_after_a_spell_of_polling_the_same_deploy_registers_again(
    settings, clock, fake_telegram
):
    async with AsyncExitStack() as stack:
        process = await _process(stack, settings, clock, fake_telegram)
        async with process.adapter.webhook(PUBLIC_URL):
            pass
        async with process.adapter.polling():  # deletes the webhook at Telegram
            await fake_telegram.wait_for("deleteWebhook", within=CEILING)
        async with process.adapter.webhook(PUBLIC_URL):
            pass
    assert len(fake_telegram.calls_to("setWebhook")) == 2


async def _after_a_dead_claimer(stack: AsyncExitStack, settings, clock,
                               fake: FakeTelegram) -> Process:
    """A process that claimed this deploy's registration and died before setWebhook;
    then the live process the spec watches."""
    dead = await _process(stack, settings, clock, fake)
    url = PUBLIC_URL + WEBHOOK_PATH.lstrip("/")
    assert await dead.adapter.claims_for(url, SECRET).claim()  # then killed: never set
    return await _process(stack, settings, clock, fake)


async def test_a_running_process_registers_once_the_holder_is_found_dead(
    settings, clock, fake_telegram
):
    """The claimer died mid-setWebhook; the live process, already serving, keeps
    watching the claim and registers once it is abandoned, without a restart."""
    from bot.telegram.registration import ABANDONED

    async with AsyncExitStack() as stack:
        live = await _after_a_dead_claimer(stack, settings, clock, fake_telegram)
        async with live.adapter.webhook(PUBLIC_URL):
            assert fake_telegram.calls_to("setWebhook") == []  # it may still be working
            async with asyncio.timeout(60):  # a ceiling, never a speed assertion
                while not fake_telegram.calls_to("setWebhook"):
                    clock.advance(ABANDONED / 4)  # the watcher looks every quarter of it
                    await asyncio.sleep(0.05)
    assert len(fake_telegram.calls_to("setWebhook")) == 1


async def test_a_registration_claimed_by_a_process_that_died_is_taken_over(
    settings, clock, fake_telegram
):
    from bot.telegram.registration import ABANDONED

    async with AsyncExitStack() as stack:
        live = await _after_a_dead_claimer(stack, settings, clock, fake_telegram)
        async with live.adapter.webhook(PUBLIC_URL):
            assert fake_telegram.calls_to("setWebhook") == []  # it may still be working
        clock.advance(ABANDONED + timedelta(seconds=1))
        async with live.adapter.webhook(PUBLIC_URL):
            pass
    assert len(fake_telegram.calls_to("setWebhook")) == 1
