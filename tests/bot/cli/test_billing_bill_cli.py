"""`thottopilot billing bill --month`: a pay-as-you-go month's bill, added up from the
usage rows at the configured rates, for one user or everyone billed that month."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.cli import main
from core.billing.payg.money import month_of
from core.billing.tiers import Meter
from core.bootstrap import open_core
from core.settings import load_settings
from core.users import Who
from tests.fakes.databases import seed_data_dir


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path, sqlite_template) -> None:
    seed_data_dir(sqlite_template, tmp_path / "data")  # an install that ran before
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("THOTTOPILOT_SECURITY__SECRET_KEY", "cli-test-secret-of-at-least-32-chars")


async def thottopilot(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


async def payg_usage(name: str, uses: dict[Meter, int], tier: str = "payg") -> tuple[int, str]:
    """`name` on `tier` takes each meter's units now; (user id, this month)."""
    async with open_core(load_settings(None)) as core:
        async with core.db.session() as session:
            user, _ = await core.users.get_or_create(session, Who("telegram", name))
            user.tier = tier
        for meter, n in uses.items():
            for i in range(n):
                async with core.db.session() as session:
                    await core.billing.consume(session, user, meter, f"{name}-{meter}-{i}")
        return user.id, month_of(core.clock.now())


async def test_the_bill_lists_each_meter_and_the_total(capsys):
    user_id, month = await payg_usage("42", {Meter.CAPTION: 7, Meter.IMAGE: 3, Meter.POST: 5})

    assert await thottopilot("billing", "bill", "--month", month, "--user", str(user_id)) == 0

    out = capsys.readouterr().out
    assert f"Bill for user {user_id}, {month} (open)" in out
    assert "AI captions            7 × 0.02 = 0.14" in out
    assert "5 × 0.005 = 0.025" in out
    assert "Total            0.20 USD" in out  # 0.195, rounded once


async def test_json_has_exact_amounts_and_minor_units(capsys):
    user_id, month = await payg_usage("42", {Meter.CAPTION: 2, Meter.POST: 1})

    assert await thottopilot("billing", "bill", "--month", month, "--json") == 0

    (bill,) = json.loads(capsys.readouterr().out)
    assert bill["user_id"] == user_id
    assert [line["amount"] for line in bill["lines"]] == ["0.04", "0.00", "0.005"]
    assert (bill["subtotal_minor"], bill["credit_minor"], bill["total_minor"]) == (5, 0, 5)


async def test_without_a_user_everyone_on_pay_as_you_go_that_month_is_billed(capsys):
    first, month = await payg_usage("1", {Meter.CAPTION: 1})
    second, _ = await payg_usage("2", {Meter.IMAGE: 1})
    await payg_usage("3", {Meter.POST: 1}, tier="starter")

    assert await thottopilot("billing", "bill", "--month", month, "--json") == 0

    assert [b["user_id"] for b in json.loads(capsys.readouterr().out)] == [first, second]


async def test_a_month_without_usage_says_so(capsys):
    assert await thottopilot("billing", "bill", "--month", "2026-02") == 0
    assert "No pay-as-you-go usage in 2026-02." in capsys.readouterr().out


async def test_a_month_that_is_not_one_is_refused_with_the_usage(capsys):
    with pytest.raises(SystemExit) as stopped:
        await thottopilot("billing", "bill", "--month", "2026-13")
    assert stopped.value.code == 2
    assert "write it as YYYY-MM" in capsys.readouterr().err


async def test_a_month_still_running_cannot_be_closed(capsys):
    user_id, month = await payg_usage("42", {Meter.CAPTION: 1})

    code = await thottopilot("billing", "bill", "--month", month, "--user", str(user_id),
                             "--close")

    assert code == 2
    assert f"{month} has not ended yet" in capsys.readouterr().err
