"""The team's alert messages: numbers in the units people read them in."""

from __future__ import annotations

from datetime import UTC, datetime

from core.texts.alerts import alert_text

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_an_error_rate_reads_as_a_percentage_of_what_was_handled():
    text = alert_text({"alert": "error_rate", "phase": "open", "value": 0.075,
                       "threshold": 0.05, "handled": 40}, NOW)
    assert text == ("🚨 Error rate is 7.5% of requests and updates in the last check "
                    "(40 handled; alert above 5.0%).")


def test_latency_past_the_last_bucket_reads_as_or_more():
    text = alert_text({"alert": "p99", "phase": "open", "value": 30.0, "threshold": 2.0}, NOW)
    assert "30 s or more" in text
    assert "alert above 2 s" in text


def test_a_late_queue_names_how_many_and_the_oldest():
    text = alert_text({"alert": "backlog", "phase": "open", "value": 3.0, "threshold": 0.0,
                       "minutes": 15, "oldest_minutes": 42}, NOW)
    assert text == ("⏳ Scheduled posts are late: 3 due more than 15 min ago, "
                    "the oldest 42 min.")


def test_an_all_clear_says_how_long_it_lasted():
    text = alert_text({"alert": "load", "phase": "clear", "value": 0.2, "threshold": 2.0,
                       "opened_at": "2026-11-25T11:35:00+00:00"}, NOW)
    assert text == "✅ Back to normal: machine load (the alert was open for 25 min)."


def test_an_unknown_or_broken_payload_still_says_something():
    assert alert_text({"alert": "disk", "phase": "open", "value": 1}, NOW) == "⚠️ Alert: disk."
    assert alert_text({}, NOW) == "⚠️ Alert: unknown."
