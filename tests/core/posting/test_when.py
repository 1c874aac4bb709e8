"""Times in the creator's zone, across both daylight-saving changes, on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.posting.when import WhenError, horizon_for, parse_when


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# (zone, "now" in UTC, text, expected UTC instant)
CASES = [
    # Europe/Berlin springs forward on 2026-03-29 (02:00 -> 03:00, +1 -> +2).
    ("Europe/Berlin", utc(2026, 3, 28, 12), "tomorrow 9pm", utc(2026, 3, 29, 19)),
    ("Europe/Berlin", utc(2026, 3, 28, 12), "tomorrow 8:00", utc(2026, 3, 29, 6)),
    ("Europe/Berlin", utc(2026, 3, 28, 23), "in 2h", utc(2026, 3, 29, 1)),
    ("Europe/Berlin", utc(2026, 3, 28, 12), "tomorrow 2:30", utc(2026, 3, 29, 1, 30)),  # gap
    # ... and falls back on 2026-10-25 (03:00 -> 02:00, +2 -> +1).
    ("Europe/Berlin", utc(2026, 10, 24, 12), "tomorrow 9pm", utc(2026, 10, 25, 20)),
    ("Europe/Berlin", utc(2026, 10, 24, 12), "tomorrow 2:30", utc(2026, 10, 25, 0, 30)),
    # America/New_York: 2026-03-08 forward, 2026-11-01 back.
    ("America/New_York", utc(2026, 3, 6, 15), "sun 9am", utc(2026, 3, 8, 13)),
    ("America/New_York", utc(2026, 3, 7, 15), "tomorrow 2:30am", utc(2026, 3, 8, 7, 30)),
    ("America/New_York", utc(2026, 10, 30, 15), "sunday 9:00", utc(2026, 11, 1, 14)),
    ("America/New_York", utc(2026, 10, 31, 15), "tomorrow 1:30am", utc(2026, 11, 1, 5, 30)),
    # Australia/Sydney (southern hemisphere): back on 2026-04-05, forward on 2026-10-04.
    ("Australia/Sydney", utc(2026, 4, 4, 2), "tomorrow 18:30", utc(2026, 4, 5, 8, 30)),
    ("Australia/Sydney", utc(2026, 10, 3, 2), "tomorrow 18:30", utc(2026, 10, 4, 7, 30)),
    # No DST at all, half-hour offset.
    ("Asia/Kolkata", utc(2026, 3, 28, 12), "fri 18:30", utc(2026, 4, 3, 13)),
    # ISO-8601, with and without an offset.
    ("Europe/Berlin", utc(2026, 3, 28, 12), "2026-03-30 14:00", utc(2026, 3, 30, 12)),
    ("Europe/Berlin", utc(2026, 3, 28, 12), "2026-03-30T14:00:00Z", utc(2026, 3, 30, 14)),
    ("Europe/Berlin", utc(2026, 3, 28, 12), "2026-03-30T14:00+05:00", utc(2026, 3, 30, 9)),
    ("UTC", utc(2026, 3, 28, 12), "in 1h30m", utc(2026, 3, 28, 13, 30)),
    ("UTC", utc(2026, 3, 28, 12), "in 3 days", utc(2026, 3, 31, 12)),
    ("UTC", utc(2026, 3, 28, 12), "now", utc(2026, 3, 28, 12)),
    ("UTC", utc(2026, 3, 28, 12), "21:00", utc(2026, 3, 28, 21)),
    ("UTC", utc(2026, 3, 28, 12), "9am", utc(2026, 3, 29, 9)),  # today's 9am has passed
]


@pytest.mark.parametrize(("tz", "now", "text", "expected"), CASES)
def test_times_are_read_on_the_creators_wall_clock(tz, now, text, expected):
    assert parse_when(text, tz, now) == expected


def test_a_weekday_that_is_today_but_past_means_next_week():
    now = utc(2026, 3, 27, 20)  # a Friday, 20:00 UTC
    assert parse_when("fri 18:30", "UTC", now) == utc(2026, 4, 3, 18, 30)


@pytest.mark.parametrize("text", ["whenever", "tomorrow", "in a bit", "25:00", "fri 7pm-ish",
                                  "13pm", ""])
def test_an_unreadable_time_is_refused_with_an_example_never_posted_now(text):
    with pytest.raises(WhenError) as refused:
        parse_when(text, "Europe/Berlin", utc(2026, 3, 28, 12))
    assert refused.value.code == "when_unreadable"
    assert refused.value.params["example"]


def test_a_past_time_is_refused_with_an_example():
    with pytest.raises(WhenError) as refused:
        parse_when("2026-03-01 10:00", "Europe/Berlin", utc(2026, 3, 28, 12))
    assert refused.value.code == "when_past"
    assert refused.value.params["example"]


def test_a_time_beyond_the_tiers_horizon_is_refused():
    now = utc(2026, 3, 28, 12)
    horizon = horizon_for("free", {"free": 7, "pro": 90})
    assert parse_when("in 6 days", "UTC", now, horizon_days=horizon) == now + timedelta(days=6)
    with pytest.raises(WhenError) as refused:
        parse_when("in 8 days", "UTC", now, horizon_days=horizon)
    assert refused.value.code == "when_beyond_horizon"
    assert refused.value.params["days"] == 7


def test_an_unknown_zone_is_refused_not_guessed():
    with pytest.raises(WhenError) as refused:
        parse_when("tomorrow 9pm", "Mars/Olympus", utc(2026, 3, 28, 12))
    assert refused.value.code == "when_bad_zone"


def test_the_horizon_of_an_unknown_tier_is_the_smallest():
    assert horizon_for("mystery", {"free": 7, "pro": 90, "premium": None}) == 7
    assert horizon_for("premium", {"free": 7, "pro": 90, "premium": None}) is None


def test_each_tiers_horizon_comes_from_its_billing_plan(make_settings):
    from core.posting.when import tier_horizon

    settings = make_settings(billing={"tiers": {"free": {"horizon_days": 3}}})
    assert tier_horizon(settings, "free") == 3
    assert tier_horizon(settings, "premium") == 365
    assert tier_horizon(settings, "no-such-tier") == 3  # unknown: treated as free
