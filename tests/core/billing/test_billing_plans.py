"""Tiers are configured once, in [billing.tiers]; every tier exists, partial tiers keep
their defaults, "unlimited" lifts a limit, and upgrade suggestions follow the limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.billing.tiers import Meter, Plans
from core.settings import ConfigError, Settings, load_settings

EXAMPLE = Path(__file__).parents[3] / "config.example.toml"


def test_defaults_give_each_tier_its_web_request_budget():
    plans = Plans(Settings())
    assert [p.requests_per_minute for p in plans.all] == [10, 50, 200, 1000]
    assert [p.tier for p in plans.all] == ["free", "starter", "pro", "premium"]


def test_the_example_config_spells_out_the_defaults():
    assert Plans(load_settings(EXAMPLE, environ={})).all == Plans(Settings()).all


def test_a_partly_given_tier_keeps_its_other_defaults():
    plans = Plans(Settings(billing={"tiers": {"pro": {"posts_per_day": 7}}}))
    pro = plans.get("pro")
    assert pro.posts_per_day == 7
    assert pro.captions_per_day == 500
    assert pro.analytics is True


def test_unlimited_is_spelled_out_in_toml(tmp_path: Path):
    config = tmp_path / "c.toml"
    config.write_text('[billing.tiers.starter]\nimages_per_day = "unlimited"\n')
    assert Plans(load_settings(config, environ={})).get("starter").images_per_day is None


def test_an_unknown_tier_is_refused_by_name(tmp_path: Path):
    config = tmp_path / "c.toml"
    config.write_text("[billing.tiers.gold]\nposts_per_day = 1\n")
    with pytest.raises(ConfigError, match="unknown tier 'gold'"):
        load_settings(config, environ={})


def test_the_older_captions_key_still_wins_when_set():
    plans = Plans(Settings(limits={"captions_per_day": {"free": 1, "starter": 2}}))
    assert [p.captions_per_day for p in plans.all] == [1, 2, None, None]


def test_unknown_tier_names_are_treated_as_free():
    assert Plans(Settings()).get("gold").tier == "free"


def test_the_upgrade_is_the_cheapest_tier_that_allows_more():
    plans = Plans(Settings(billing={"tiers": {"starter": {"images_per_day": 3}}}))
    assert plans.upgrade_for("free", Meter.CAPTION).tier == "starter"
    assert plans.upgrade_for("free", Meter.IMAGE).tier == "pro"  # starter's 3 is no more
    assert plans.upgrade_for("premium", Meter.POST) is None
