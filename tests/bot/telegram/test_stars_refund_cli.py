"""`thottopilot billing refund --charge ID`: an operator gives a Stars payment back from
the terminal; Telegram's refundStarPayment is called once and the plan ends."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from bot.cli import main
from core.billing.providers.stars import StarsPayment, StarsProvider
from core.bootstrap import open_core
from core.db.models import User
from core.settings import load_settings
from core.users import Who
from tests.fakes.databases import seed_data_dir
from tests.fakes.telegram import FakeTelegram


@pytest.fixture
async def fake_bot_api(monkeypatch, tmp_path, sqlite_template) -> AsyncIterator[FakeTelegram]:
    seed_data_dir(sqlite_template, tmp_path / "data")  # an install that ran before
    fake = FakeTelegram()
    await fake.start()
    env = {"APP__DATA_DIR": str(tmp_path / "data"),
           "SECURITY__SECRET_KEY": "cli-test-secret-of-at-least-32-chars",
           "TELEGRAM__TOKEN": fake.token, "TELEGRAM__API_BASE_URL": fake.base_url}
    for key, value in env.items():
        monkeypatch.setenv(f"THOTTOPILOT_{key}", value)
    yield fake
    await fake.close()


async def thottopilot(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


async def paid_pro(charge: str) -> int:
    """A Telegram creator (id 42) who paid for Pro in Stars."""
    async with open_core(load_settings(None)) as core, core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "42"))
        stars = StarsProvider(core.settings, core.db, core.clock, core.events,
                              core.billing.plans, core.secret_key)
        await stars.paid(session, user, StarsPayment(
            charge, stars.payload(user.id, "pro"), "XTR", 1450, "42"))
        return user.id


async def tier(user_id: int) -> str:
    async with open_core(load_settings(None)) as core, core.db.session() as session:
        return (await session.get(User, user_id)).tier  # type: ignore[union-attr]


async def test_refund_calls_telegram_and_ends_the_plan(fake_bot_api, capsys):
    user_id = await paid_pro("charge-9")
    assert await tier(user_id) == "pro"
    capsys.readouterr()

    assert await thottopilot("billing", "refund", "--charge", "charge-9", "--json") == 0

    assert json.loads(capsys.readouterr().out) == {
        "charge": "charge-9", "result": "refunded", "user_id": user_id, "tier": "free"}
    [call] = fake_bot_api.calls_to("refundStarPayment")
    assert call.params == {"user_id": "42", "telegram_payment_charge_id": "charge-9"}
    assert await tier(user_id) == "free"


async def test_a_second_refund_changes_nothing(fake_bot_api, capsys):
    await paid_pro("charge-9")
    assert await thottopilot("billing", "refund", "--charge", "charge-9") == 0
    capsys.readouterr()
    assert await thottopilot("billing", "refund", "--charge", "charge-9") == 0
    assert "refunded before" in capsys.readouterr().out
    assert len(fake_bot_api.calls_to("refundStarPayment")) == 1


async def test_an_unknown_charge_is_an_error(fake_bot_api, capsys):
    assert await thottopilot("billing", "refund", "--charge", "nope") == 1
    assert "no Stars payment" in capsys.readouterr().err
    assert fake_bot_api.calls_to("refundStarPayment") == []


async def test_the_running_web_companion_is_told_the_plan_changed(fake_bot_api, monkeypatch,
                                                                   capsys):
    """A signed internal call, so the web's request budget follows the refund at once."""
    from aiohttp import web as aioweb
    from aiohttp.test_utils import TestServer

    from web.app import init_app

    user_id = await paid_pro("charge-7")
    told: list[int] = []

    @aioweb.middleware
    async def watch(request: aioweb.Request, handler):  # observes, changes nothing
        response = await handler(request)
        if request.path == "/internal/notify":
            told.append(response.status)
        return response

    async with open_core(load_settings(None)) as core:
        app = init_app(core)
        app.middlewares.insert(0, watch)
        async with TestServer(app, host="127.0.0.1") as server:
            monkeypatch.setenv("THOTTOPILOT_WEBHOOKS__INTERNAL_URL", str(server.make_url("")))
            assert await thottopilot("billing", "refund", "--charge", "charge-7") == 0
    assert told == [200]  # signed, fresh and accepted
    assert "not told" not in capsys.readouterr().err
    assert await tier(user_id) == "free"
