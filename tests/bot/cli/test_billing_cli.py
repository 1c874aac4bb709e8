"""`thottopilot billing replay --since`: Stripe events a webhook never delivered are
applied from Stripe's event list, once, however often the replay runs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from bot.cli import main
from core.billing.payments import Payments
from core.bootstrap import open_core
from core.db.models import User
from core.settings import load_settings
from core.users import Who
from tests.fakes.stripe import API_KEY, WEBHOOK_SECRET, FakeStripe


@pytest.fixture
async def fake_stripe(monkeypatch, tmp_path) -> AsyncIterator[FakeStripe]:
    fake = FakeStripe()
    await fake.start()
    env = {"APP__DATA_DIR": str(tmp_path / "data"),
           "SECURITY__SECRET_KEY": "cli-test-secret-of-at-least-32-chars",
           "STRIPE__SECRET_KEY": API_KEY, "STRIPE__WEBHOOK_SECRET": WEBHOOK_SECRET,
           "STRIPE__API_BASE": fake.api_base,
           "BILLING__TIERS": json.dumps({"pro": {"stripe_price": "price_pro"}})}
    for key, value in env.items():
        monkeypatch.setenv(f"THOTTOPILOT_{key}", value)
    yield fake
    await fake.close()


async def thottopilot(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


async def paid_without_webhook(fake: FakeStripe) -> int:
    async with open_core(load_settings(None)) as core:
        async with core.db.session() as session:
            user, _ = await core.users.get_or_create(session, Who("telegram", "42"))
        payments = Payments(core.settings, core.db, core.clock, core.events,
                            core.billing.plans)
        started = await payments.stripe_checkout(user.id, "pro", "http://127.0.0.1/done")
    fake.complete_checkout(str(started.url).rsplit("/", 1)[-1])
    return user.id


async def tier(user_id: int) -> str:
    async with open_core(load_settings(None)) as core, core.db.session() as session:
        return (await session.get(User, user_id)).tier  # type: ignore[union-attr]


async def test_replay_applies_missed_events_and_a_second_run_changes_nothing(
        fake_stripe, capsys):
    user_id = await paid_without_webhook(fake_stripe)
    capsys.readouterr()

    assert await thottopilot("billing", "replay", "--since", "2020-01-01", "--json") == 0
    first = json.loads(capsys.readouterr().out)
    assert await thottopilot("billing", "replay", "--since", "2020-01-01", "--json") == 0
    again = json.loads(capsys.readouterr().out)

    assert first == {"events": 3, "applied": 3, "duplicate": 0, "ignored": 0}
    assert again == {"events": 3, "applied": 0, "duplicate": 3, "ignored": 0}
    assert await tier(user_id) == "pro"


async def test_a_bad_date_is_refused_with_the_usage(fake_stripe, capsys):
    with pytest.raises(SystemExit) as stopped:
        await thottopilot("billing", "replay", "--since", "last tuesday")
    assert stopped.value.code == 2
    assert "not a date or time" in capsys.readouterr().err
