"""What the alert checker measures (core.analytics.alerts): error rate and p99 latency
since its last look, the machine's load, and the scheduler's backlog.

Error rate and latency come from this process's Prometheus registry (its requests and
chat updates), as deltas between two looks: the checker keeps the previous `Totals`.
In the default `all` role that is every request and update; a split deployment's worker
sees only its own jobs, so there those two alerts belong to the Prometheus server that
scrapes every process. Load and backlog hold for the whole machine and database.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics.metrics import Metrics
from core.posting.models import PostTarget, State

COUNTED_ERRORS = ("web", "bot")  # errors met while handling a request or an update


@dataclass(frozen=True)
class Totals:
    """Cumulative counts read from the registry at one moment."""

    handled: float = 0.0  # web requests + chat updates
    errors: float = 0.0  # unhandled errors in web routes and bot handlers
    buckets: dict[float, float] = field(default_factory=dict)  # web latency: le -> count


def read_totals(metrics: Metrics) -> Totals:
    handled = errors = 0.0
    buckets: dict[float, float] = {}
    for metric in (*metrics.requests.collect(), *metrics.updates.collect(),
                   *metrics.errors.collect()):
        for sample in metric.samples:
            if sample.name.endswith("_count"):
                handled += sample.value
            elif sample.name == "thottopilot_errors_total" \
                    and sample.labels.get("where") in COUNTED_ERRORS:
                errors += sample.value
            elif sample.name == "thottopilot_http_request_duration_seconds_bucket":
                le = float(sample.labels["le"])
                buckets[le] = buckets.get(le, 0.0) + sample.value
    return Totals(handled, errors, buckets)


def error_rate(before: Totals, after: Totals, min_handled: int) -> float | None:
    """Errors per request or update between two looks; None with too few to tell."""
    handled = after.handled - before.handled
    if handled < min_handled:
        return None
    return max(after.errors - before.errors, 0.0) / handled


def p99(before: Totals, after: Totals, min_handled: int) -> float | None:
    """The web requests' 99th percentile between two looks, as the upper bound of the
    histogram bucket it falls in (past the last bound: that bound, as "or more"; kept
    finite for JSON); None with too few requests."""
    deltas = sorted((le, n - before.buckets.get(le, 0.0)) for le, n in after.buckets.items())
    total = deltas[-1][1] if deltas else 0.0
    if total < min_handled:
        return None
    finite = [le for le, _ in deltas if not math.isinf(le)]
    for le, count in deltas:  # cumulative buckets
        if count >= 0.99 * total:
            return le if not math.isinf(le) else max(finite, default=0.0)
    return max(finite, default=0.0)


def load_per_cpu() -> float:
    """The 1-minute load average over the CPUs (0 where the OS has no load average)."""
    try:
        return os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:
        return 0.0


@dataclass(frozen=True)
class Backlog:
    late: int  # due posts still waiting after the allowed minutes
    oldest_minutes: int


async def backlog(session: AsyncSession, now: datetime, minutes: int) -> Backlog:
    """Queued post targets that have been due for more than `minutes` (a paused or
    backing-off target is not due: its `not_before` moved on)."""
    count, oldest = (await session.execute(
        select(func.count(), func.min(PostTarget.not_before)).where(
            PostTarget.state == State.QUEUED,
            PostTarget.not_before <= now - timedelta(minutes=minutes)))).one()
    if not count or oldest is None:
        return Backlog(0, 0)
    return Backlog(int(count), int((now - oldest).total_seconds() // 60))
