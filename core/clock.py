"""Time source. Everything asks the clock instead of calling `datetime.now()`, so tests
can move time forward without sleeping and every datetime is timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock, always in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)
