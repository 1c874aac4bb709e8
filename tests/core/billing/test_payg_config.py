"""[billing.payg] and [billing.referrals]: rates are exact decimals whatever TOML wrote,
a meter left out keeps its default, and a mistake is one clear line, not a traceback."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.billing.tiers import Meter, Plans
from core.settings import ConfigError, Settings, load_settings


def load(tmp_path: Path, toml: str) -> Settings:
    path = tmp_path / "config.toml"
    path.write_text(toml, encoding="utf-8")
    return load_settings(path, environ={})


def test_the_default_rates_are_the_issues():
    rates = Settings().billing.payg.rates
    assert rates == {"caption": Decimal("0.02"), "image": Decimal("0.01"),
                     "post": Decimal("0.005")}


def test_a_rate_written_as_a_toml_float_is_the_exact_decimal(tmp_path: Path):
    settings = load(tmp_path, "[billing.payg.rates]\ncaption = 0.1\n")
    assert settings.billing.payg.rates["caption"] == Decimal("0.1")
    assert settings.billing.payg.rates["post"] == Decimal("0.005")  # left out: default


def test_an_unknown_meter_is_named(tmp_path: Path):
    with pytest.raises(ConfigError, match="unknown meter 'video'"):
        load(tmp_path, "[billing.payg.rates]\nvideo = 0.5\n")


def test_a_negative_rate_is_refused(tmp_path: Path):
    with pytest.raises(ConfigError, match="cannot be negative"):
        load(tmp_path, "[billing.payg.rates]\nimage = -0.01\n")


def test_a_free_month_must_be_of_a_paid_tier(tmp_path: Path):
    with pytest.raises(ConfigError, match="must be a paid tier"):
        load(tmp_path, '[billing.referrals]\nreward = "free_month"\nfree_month_tier = "free"\n')


def test_an_unknown_reward_kind_is_refused(tmp_path: Path):
    with pytest.raises(ConfigError, match="reward"):
        load(tmp_path, '[billing.referrals]\nreward = "cash"\n')


def test_the_payg_plan_has_no_daily_caps_and_is_not_a_capped_tier():
    plans = Plans(Settings())
    assert plans.get("payg").metered
    assert (plans.payg.captions_per_day, plans.payg.images_per_day,
            plans.payg.posts_per_day) == (None, None, None)
    assert "payg" not in [p.tier for p in plans.all]
    assert plans.upgrade_for("payg", Meter.POST) is None  # nothing to lift
