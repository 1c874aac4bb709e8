"""Webhook mode: Telegram POSTs updates to the web companion, guarded by a secret."""

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.telegram.adapter import TelegramAdapter
from bot.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from core.inbox import InboundUpdate
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


def test_no_webhook_route_without_a_secret(core):
    from bot.telegram.webhook import webhook_handler

    with pytest.raises(ValueError, match="needs a secret"):
        webhook_handler(None, "")  # type: ignore[arg-type]


async def test_malformed_update_body_is_a_400_not_a_crash(webhook_client):
    resp = await webhook_client.post(
        WEBHOOK_PATH, data=b"{not json", headers={SECRET_HEADER: SECRET}
    )
    assert resp.status == 400


async def _inbox_rows(core) -> dict[int, str]:
    async with core.db.read() as session:
        rows = await session.scalars(select(InboundUpdate))
        return {r.update_id: r.status for r in rows}


async def test_an_acknowledged_update_is_already_in_the_inbox(webhook_client, core):
    resp = await webhook_client.post(
        WEBHOOK_PATH, json=_update(11, "/start"), headers={SECRET_HEADER: SECRET}
    )
    assert resp.status == 200
    assert 11 in await _inbox_rows(core)  # committed before the answer, done or not


async def test_a_redelivered_update_is_answered_but_handled_once(webhook_client, fake_telegram):
    for _ in range(3):  # Telegram retrying an update it thinks we missed
        resp = await webhook_client.post(
            WEBHOOK_PATH, json=_update(21, "/start"), headers={SECRET_HEADER: SECRET}
        )
        assert resp.status == 200
    resp = await webhook_client.post(
        WEBHOOK_PATH, json=_update(22, "/help"), headers={SECRET_HEADER: SECRET}
    )
    assert resp.status == 200
    # one chat's updates are handled in order: once /help is answered, every /start
    # that was going to be handled has been
    await fake_telegram.wait_for("sendMessage", count=2)
    greetings = [c for c in fake_telegram.calls_to("sendMessage") if "Alice" in c.params["text"]]
    assert len(greetings) == 1


def _press(update_id: int, query_id: str) -> dict:
    user = {"id": 42, "is_bot": False, "first_name": "Alice"}
    return {"update_id": update_id, "callback_query": {
        "id": query_id, "from": user, "chat_instance": "ci", "data": "not-a-button-of-ours",
        "message": {"message_id": 7, "date": 1_764_000_000,
                    "chat": {"id": 42, "type": "private"}}}}


async def test_a_press_is_answered_in_the_webhook_response_not_by_another_call(
        webhook_client, fake_telegram):
    resp = await webhook_client.post(
        WEBHOOK_PATH, json=_press(41, "q41"), headers={SECRET_HEADER: SECRET})
    assert resp.status == 200
    assert await resp.json() == {"method": "answerCallbackQuery", "callback_query_id": "q41"}
    await fake_telegram.wait_for("sendMessage")  # the press was processed ("expired")
    assert fake_telegram.calls_to("answerCallbackQuery") == []


WRONG_SHAPES = {
    "message-is-a-string": {"update_id": 31, "message": "hello"},
    "message-is-a-list": {"update_id": 32, "message": [1, 2]},
    "message-without-date": {"update_id": 33, "message": {"message_id": 1, "chat": {}}},
    "update-id-is-text": {"update_id": "31", "message": {}},
    "update-id-is-a-bool": {"update_id": True},
    "no-update-id": {"message": {}},
    "negative-update-id": {"update_id": -5},
    "chat-id-is-a-list": {"update_id": 34, "message": {
        "message_id": 1, "date": 1, "chat": {"id": [1], "type": "private"}}},
    "callback-without-fields": {"update_id": 35, "callback_query": {"id": 1}},
}


@pytest.mark.parametrize("body", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
async def test_json_that_is_not_an_update_is_a_400_and_never_stored(webhook_client, core, body):
    resp = await webhook_client.post(WEBHOOK_PATH, json=body, headers={SECRET_HEADER: SECRET})
    assert resp.status == 400
    assert await _inbox_rows(core) == {}
