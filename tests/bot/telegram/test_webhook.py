"""Webhook mode: Telegram POSTs updates to the web companion, guarded by a secret."""

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.telegram.adapter import TelegramAdapter
from bot.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from core.settings import TelegramMode, TelegramSettings
from web.app import init_app

SECRET = "s3cret-webhook-token"


def _update(update_id: int, text: str) -> dict:
    user = {"id": 42, "is_bot": False, "first_name": "Alice"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_764_000_000,
            "text": text,
            "from": user,
            "chat": {"id": 42, "type": "private"},
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


@pytest.fixture
async def webhook_client(core, dispatcher, fake_telegram):
    tg = TelegramSettings(
        token=fake_telegram.token,
        api_base_url=fake_telegram.base_url,
        file_base_url=fake_telegram.file_base_url,
        mode=TelegramMode.WEBHOOK,
        webhook_secret=SECRET,
    )
    adapter = TelegramAdapter(tg, dispatcher)
    app = init_app(core)
    adapter.mount_webhook(app)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        public_url = str(client.make_url("/"))
        async with adapter.webhook(public_url):
            yield client


async def test_webhook_is_registered_with_its_secret(webhook_client, fake_telegram):
    [call] = await fake_telegram.wait_for("setWebhook")
    assert call.params["url"].endswith(WEBHOOK_PATH)
    assert call.params["secret_token"] == SECRET


async def test_update_with_the_right_secret_is_processed(webhook_client, fake_telegram):
    resp = await webhook_client.post(
        WEBHOOK_PATH, json=_update(1, "/start"), headers={SECRET_HEADER: SECRET}
    )
    assert resp.status == 200
    [reply] = await fake_telegram.wait_for("sendMessage")
    assert "Alice" in reply.params["text"]


async def test_forged_update_without_the_secret_is_refused(webhook_client, fake_telegram):
    resp = await webhook_client.post(
        WEBHOOK_PATH, json=_update(2, "/start"), headers={SECRET_HEADER: "guess"}
    )
    assert resp.status == 403
    resp = await webhook_client.post(WEBHOOK_PATH, json=_update(3, "/start"))
    assert resp.status == 403
    assert fake_telegram.calls_to("sendMessage") == []


async def test_malformed_update_body_is_a_400_not_a_crash(webhook_client):
    resp = await webhook_client.post(
        WEBHOOK_PATH, data=b"{not json", headers={SECRET_HEADER: SECRET}
    )
    assert resp.status == 400
