"""Best time to post, per creator and subreddit: an hour-by-weekday model.

The week is 7 × 24 cells in the creator's time zone, each holding a *lift* (1.0 = an
ordinary hour). Three sources, blended by how much the creator's own history says:

- **the creator's outcomes** here: each live post's score (at its latest check) over
  their median in this subreddit, smoothed over neighbouring hours;
- **the subreddit's activity**: when its recent top and new posts went up, weighted by
  their scores (log), as lift over the week's mean;
- **the documented default**, when Reddit can't tell us anything: Reddit's crowd is
  mostly in the US, so safe-for-work posts peak at the morning scroll (09:00 New York)
  and 18+ posts late in the evening (22:00 New York).

weight of the creator's own = n / (n + PRIOR_POSTS): two posts barely move it, twenty
mostly decide it. Pure functions here; `core.outcomes.besttime_service` gathers data.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.posting.when import local

HOURS, DAYS = 24, 7
CELLS = HOURS * DAYS
PRIOR_POSTS = 8.0  # creator posts at which their own history counts half
SMOOTH_HOURS = 1.5  # Gaussian width when smoothing over neighbouring hours
CROWD_PEAK = 2.0  # the subreddit's busiest hour as a lift (like the default's peak)
ORDINARY = 0.5  # pseudo-weight pulling every cell towards 1.0 (see `smooth`)
DEFAULT_ZONE = ZoneInfo("America/New_York")
SFW_HOUR, NSFW_HOUR = 9, 22
MIN_LEAD = timedelta(minutes=30)
WEEK = timedelta(days=DAYS)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

Grid = list[float]  # CELLS lifts, index = weekday * 24 + hour (creator's zone)


@dataclass(frozen=True)
class Observation:
    """A post and how it did: when it went up and its score (or activity weight)."""

    at: datetime
    score: float


@dataclass(frozen=True)
class Slot:
    at: datetime  # UTC
    lift: float
    own_lift: float | None  # the creator's history at that hour, when known
    busy: bool  # the subreddit's activity peaks around then
    default: bool  # no data: the documented default decided


def cell(at: datetime, tz: ZoneInfo) -> int:
    moment = at.astimezone(tz)
    return moment.weekday() * HOURS + moment.hour


def smooth(raw: Sequence[float], weights: Sequence[float]) -> Grid:
    """Per cell, the Gaussian-weighted mean of nearby cells' values (the week wraps),
    shrunk towards 1.0 (an ordinary hour) by a pseudo-weight of ORDINARY: the peak stays
    on the hours with evidence, and hours far from any evidence are ordinary."""
    out: Grid = []
    reach = int(3 * SMOOTH_HOURS)
    for i in range(CELLS):
        num, den = ORDINARY, ORDINARY
        for d in range(-reach, reach + 1):
            j = (i + d) % CELLS
            if weights[j]:
                k = math.exp(-0.5 * (d / SMOOTH_HOURS) ** 2) * weights[j]
                num += k * raw[j]
                den += k
        out.append(num / den)
    return out


def own_grid(posts: Iterable[Observation], tz: ZoneInfo) -> tuple[Grid, int]:
    """The creator's lift per cell (score over their median here) and how many posts."""
    rows = list(posts)
    if not rows:
        return [1.0] * CELLS, 0
    median = statistics.median(p.score for p in rows)
    sums, counts = [0.0] * CELLS, [0.0] * CELLS
    for p in rows:
        c = cell(p.at, tz)
        sums[c] += (max(p.score, 0.0) + 1.0) / (max(median, 0.0) + 1.0)
        counts[c] += 1.0
    raw = [s / n if n else 1.0 for s, n in zip(sums, counts, strict=True)]
    return smooth(raw, counts), len(rows)


def activity_grid(posts: Iterable[Observation], tz: ZoneInfo) -> Grid | None:
    """The subreddit's activity per cell, as lift over its weekly mean; None: no data."""
    weights = [0.0] * CELLS
    for p in posts:
        weights[cell(p.at, tz)] += 1.0 + math.log1p(max(p.score, 0.0))
    total = sum(weights)
    if total <= 0:
        return None
    mean = total / CELLS
    spread = smooth([w / mean for w in weights], [1.0] * CELLS)
    peak = max(spread)
    if peak <= 1.0:
        return spread
    # Busy is not the same as better (more posts compete there too): the busiest hour
    # counts as CROWD_PEAK, an ordinary one as 1.0, on a power curve between.
    power = math.log(CROWD_PEAK) / math.log(peak)
    return [v ** power for v in spread]


def default_grid(nsfw: bool, tz: ZoneInfo, reference: datetime) -> Grid:
    """The documented default: a bump at 09:00 (SFW) or 22:00 (18+) New York time."""
    peak = local(reference.astimezone(DEFAULT_ZONE).date(),
                 time(NSFW_HOUR if nsfw else SFW_HOUR), DEFAULT_ZONE)
    hour = peak.astimezone(tz).hour
    return [1.0 + math.exp(-0.5 * (_hour_distance(i % HOURS, hour) / 1.0) ** 2)
            for i in range(CELLS)]


def _hour_distance(a: int, b: int) -> int:
    d = abs(a - b) % HOURS
    return min(d, HOURS - d)


def blend(own: Grid, n: int, crowd: Grid) -> Grid:
    w = n / (n + PRIOR_POSTS)
    return [w * o + (1 - w) * c for o, c in zip(own, crowd, strict=True)]


def next_slots(grid: Grid, tz: ZoneInfo, now: datetime, *, count: int = 3,
               own: Grid | None = None, activity: Grid | None = None,
               default: bool = False, horizon: timedelta | None = None) -> list[Slot]:
    """The best `count` hours of the coming week, at least MIN_LEAD away, at most
    `horizon` away (the creator's scheduling horizon; None: a week, and never more:
    a slot must be one that can be queued), and at most one per day in the creator's
    zone (three choices, not three neighbouring hours), in time order. Empty when the
    horizon is shorter than the lead."""
    start = (now + MIN_LEAD).astimezone(UTC)
    first = start.replace(minute=0, second=0, microsecond=0)
    if first < start:
        first += timedelta(hours=1)
    last = now + min(horizon if horizon is not None else WEEK, WEEK)
    candidates = [at for at in (first + timedelta(hours=h) for h in range(CELLS))
                  if at <= last]
    ranked = sorted(candidates, key=lambda at: (-grid[cell(at, tz)], at))
    chosen: list[datetime] = []
    for at in ranked:
        if all(at.astimezone(tz).date() != c.astimezone(tz).date() for c in chosen):
            chosen.append(at)
        if len(chosen) == count:
            break
    peak = max(activity) if activity else 0.0
    return [Slot(at, grid[cell(at, tz)],
                 own[cell(at, tz)] if own is not None else None,
                 activity is not None and activity[cell(at, tz)] >= 0.8 * peak, default)
            for at in sorted(chosen)]


def window(at: datetime, tz: ZoneInfo) -> str:
    """'Fri 19-21h' around a slot, for the reasons line."""
    moment = at.astimezone(tz)
    return f"{DAY_NAMES[moment.weekday()]} {moment.hour:02d}-{(moment.hour + 2) % 24:02d}h"
