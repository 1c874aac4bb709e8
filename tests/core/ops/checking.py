"""Run one named pre-launch check, as `thottopilot check` would."""

from __future__ import annotations

from datetime import UTC, datetime

from core.ops.checks import Result, all_checks, run_checks
from core.settings import Settings

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def check(name: str, settings: Settings, now: datetime = NOW) -> Result:
    [chosen] = [c for c in all_checks() if c.name == name]
    [result] = await run_checks(settings, now, [chosen])
    return result
