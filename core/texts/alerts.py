"""Words for the anomaly alerts in the team's chat (core.analytics.alerts)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

OPENED = {
    "error_rate": "🚨 Error rate is {value} of requests and updates in the last check "
                  "({handled} handled; alert above {threshold}).",
    "p99": "🐢 Slow pages: the 99th percentile is {value} in the last check "
           "(alert above {threshold}).",
    "load": "🔥 The machine is busy: load is {value} per CPU (alert above {threshold}).",
    "backlog": "⏳ Scheduled posts are late: {count} due more than {minutes} min ago, "
               "the oldest {oldest} min.",
}
CLEARED = "✅ Back to normal: {what} (the alert was open for {minutes} min)."
WHAT = {"error_rate": "error rate", "p99": "page speed", "load": "machine load",
        "backlog": "scheduled posts"}
UNKNOWN = "⚠️ Alert: {kind}."


def _seconds(value: Any, ceiling: float = 30.0) -> str:
    """The histogram's last bound means "that or more"."""
    return f"{value:g} s or more" if float(value) >= ceiling else f"{value:g} s"


def _percent(value: Any) -> str:
    return f"{100 * float(value):.1f}%"


def alert_text(payload: dict[str, Any], now: datetime) -> str:
    """The team's message for one `team_alert` notice (opened or cleared)."""
    kind = str(payload.get("alert") or "")
    value, threshold = payload.get("value"), payload.get("threshold")
    if payload.get("phase") == "clear":
        opened = datetime.fromisoformat(str(payload.get("opened_at") or now.isoformat()))
        minutes = max(int((now - opened).total_seconds() // 60), 0)
        return CLEARED.format(what=WHAT.get(kind, kind), minutes=minutes)
    if kind not in OPENED or value is None or threshold is None:
        return UNKNOWN.format(kind=kind or "unknown")
    if kind == "error_rate":
        value, threshold = _percent(value), _percent(threshold)
    elif kind == "p99":
        value, threshold = _seconds(value), _seconds(threshold)
    return OPENED[kind].format(value=value, threshold=threshold, count=int(value)
                               if kind == "backlog" else 0,
                               handled=payload.get("handled", "?"),
                               minutes=payload.get("minutes", "?"),
                               oldest=payload.get("oldest_minutes", "?"))
