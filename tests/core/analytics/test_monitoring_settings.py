"""The [monitoring] section refuses a time zone it cannot schedule in."""

from __future__ import annotations

import pytest

from core.settings import ConfigError, load_settings


def test_an_unknown_archive_zone_is_refused_with_a_hint(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[monitoring]\ntimezone = "Mars/Olympus"\n')
    with pytest.raises(ConfigError, match="IANA zone name"):
        load_settings(config, environ={})


def test_the_archive_runs_at_three_in_the_morning_after_ninety_days_by_default(tmp_path):
    monitoring = load_settings(None, environ={}).monitoring
    assert (monitoring.archive_cron, monitoring.archive_after_days) == ("0 3 * * *", 90)
