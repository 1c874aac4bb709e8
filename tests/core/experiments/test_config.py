"""Experiments in the config file: defaults kept, bad weights refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import ConfigError, load_settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_the_upgrade_prompt_experiment_runs_by_default():
    spec = load_settings(None, environ={}).experiments["upgrade_prompt"]
    assert spec.active
    assert list(spec.variants) == ["control", "gain", "momentum"]
    assert spec.control == "control"


def test_stopping_it_in_the_file_keeps_its_variants(tmp_path: Path):
    path = _write(tmp_path, "[experiments.upgrade_prompt]\nactive = false\n")
    spec = load_settings(path, environ={}).experiments["upgrade_prompt"]
    assert not spec.active
    assert list(spec.variants) == ["control", "gain", "momentum"]


def test_the_environment_can_stop_it(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("THOTTOPILOT_EXPERIMENTS__UPGRADE_PROMPT__ACTIVE", "false")
    spec = load_settings(None).experiments["upgrade_prompt"]
    assert not spec.active
    assert list(spec.variants) == ["control", "gain", "momentum"]


def test_a_new_experiment_needs_its_variants(tmp_path: Path):
    path = _write(tmp_path, "[experiments.onboarding_copy]\nactive = true\n")
    with pytest.raises(ConfigError, match=r"experiments\.onboarding_copy\.variants"):
        load_settings(path, environ={})


def test_a_variant_without_weight_is_refused_by_name(tmp_path: Path):
    path = _write(tmp_path, "[experiments.upgrade_prompt]\n"
                            "variants = { control = 1.0, gain = 0 }\n")
    with pytest.raises(ConfigError, match="'gain' needs a weight above 0"):
        load_settings(path, environ={})
