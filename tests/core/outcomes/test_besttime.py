"""The best-time model's maths, against values worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.outcomes import besttime as bt

BERLIN = ZoneInfo("Europe/Berlin")
NY = ZoneInfo("America/New_York")
WED_NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # Wed 13:00 in Berlin


def at(day: int, hour: int, tz: ZoneInfo = BERLIN) -> datetime:
    """Day 0 = Mon 23 Nov 2026, at `hour` local time."""
    return datetime(2026, 11, 23 + day, hour, tzinfo=tz).astimezone(UTC)


def test_own_lift_is_score_over_the_creators_median_here():
    # Two Friday 19h posts scoring 30, three Tuesday 10h posts scoring 10: median 10.
    posts = [bt.Observation(at(4, 19), 30)] * 2 + [bt.Observation(at(1, 10), 10)] * 3
    grid, n = bt.own_grid(posts, BERLIN)
    assert n == 5
    # (30+1)/(10+1) from two posts, shrunk by ORDINARY = 0.5 of an ordinary hour:
    assert grid[4 * 24 + 19] == pytest.approx((2 * 31 / 11 + 0.5) / 2.5)
    assert grid[1 * 24 + 10] == pytest.approx(1.0)
    assert grid[0 * 24 + 3] == 1.0  # no evidence nearby: an ordinary hour
    assert 1.0 < grid[4 * 24 + 21] < grid[4 * 24 + 20] < grid[4 * 24 + 19]  # fades out


def test_the_creators_weight_grows_with_their_posts():
    own, crowd = [3.0] * bt.CELLS, [1.0] * bt.CELLS
    assert bt.blend(own, 0, crowd)[0] == 1.0
    assert bt.blend(own, 8, crowd)[0] == pytest.approx(2.0)  # half and half at 8 posts
    assert bt.blend(own, 24, crowd)[0] == pytest.approx(3 * 0.75 + 0.25)


def test_with_no_data_the_default_is_the_morning_scroll_in_new_york():
    grid = bt.default_grid(False, BERLIN, WED_NOON)
    slots = bt.next_slots(grid, BERLIN, WED_NOON, default=True)
    assert [s.at.astimezone(NY).strftime("%a %H:%M") for s in slots] == [
        "Wed 09:00", "Thu 09:00", "Fri 09:00"]  # Wed 09:00 NY is 15:00 Berlin: ahead
    assert all(s.default for s in slots)


def test_adult_posts_default_to_late_evening_in_new_york():
    grid = bt.default_grid(True, BERLIN, WED_NOON)
    [slot] = bt.next_slots(grid, BERLIN, WED_NOON, count=1)
    assert slot.at.astimezone(NY).strftime("%a %H:%M") == "Wed 22:00"


def test_the_subreddits_busy_hours_lead_while_the_creator_has_no_history():
    crowd = [bt.Observation(at(5, 20) + timedelta(minutes=m), 500) for m in range(0, 60, 5)]
    crowd += [bt.Observation(at(d, 4), 1) for d in range(7)]
    activity = bt.activity_grid(crowd, BERLIN)
    assert activity is not None
    [slot] = bt.next_slots(activity, BERLIN, WED_NOON, count=1, activity=activity)
    assert slot.at.astimezone(BERLIN).strftime("%a %H") == "Sat 20"
    assert slot.busy


def test_slots_are_on_different_days_and_in_time_order():
    grid = [1.0] * bt.CELLS
    grid[2 * 24 + 14] = 5.0  # Wed 14h Berlin, the first hour past the 30 min lead
    grid[2 * 24 + 15] = 4.0  # an hour later: too close to the first to be offered too
    grid[3 * 24 + 9] = 3.0
    slots = bt.next_slots(grid, BERLIN, WED_NOON, count=2)
    assert [s.at.astimezone(BERLIN).strftime("%a %H") for s in slots] == ["Wed 14", "Thu 09"]


def test_a_slot_is_never_sooner_than_the_lead_time():
    grid = [1.0] * bt.CELLS
    grid[2 * 24 + 13] = 9.0  # Wed 13h Berlin is "now": not offered
    [slot] = bt.next_slots(grid, BERLIN, WED_NOON, count=1)
    assert slot.at == WED_NOON + timedelta(days=7)  # the same hour next week


def test_a_slot_is_never_beyond_the_week_ahead():
    """Tue 10:40 with Tue 11:00 the best hour: it is under the lead away, and its next
    turn is 7 days 20 minutes ahead, past a week's scheduling horizon. The next best
    hour within the week is offered instead."""
    tue_1040 = at(1, 10, NY).replace(minute=40)  # Tue 24 Nov, 10:40 New York
    grid = [1.0] * bt.CELLS
    grid[1 * 24 + 11] = 9.0  # Tue 11h New York
    grid[1 * 24 + 12] = 2.0  # Tue 12h: the best left within the week
    [slot] = bt.next_slots(grid, NY, tue_1040, count=1)
    assert slot.at <= tue_1040 + timedelta(days=7)
    assert slot.at.astimezone(NY).strftime("%a %d %H:%M") == "Tue 24 12:00"


def test_slots_stay_within_a_shorter_horizon():
    grid = [1.0] * bt.CELLS
    grid[4 * 24 + 19] = 9.0  # Fri 19h Berlin, two days and more ahead of Wednesday noon
    slots = bt.next_slots(grid, BERLIN, WED_NOON, horizon=timedelta(days=1))
    assert slots
    assert all(s.at <= WED_NOON + timedelta(days=1) for s in slots)
    assert bt.next_slots(grid, BERLIN, WED_NOON, horizon=timedelta(minutes=20)) == []
