"""`Analytics`: what `Core` holds for reports, metrics and error tracking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from core.analytics import reports
from core.analytics.alerts_signals import load_per_cpu
from core.analytics.errors import ErrorTracker, TrackedError
from core.analytics.live import Snapshot, snapshot
from core.analytics.metrics import Metrics
from core.analytics.revenue import Revenue, revenue
from core.billing.tiers import Plans
from core.clock import Clock
from core.db.database import Database
from core.events import EventLog
from core.logsafe import secret_values
from core.settings import Settings


@dataclass(frozen=True)
class Dashboard:
    today: date
    active: reports.Active
    daily: list[tuple[date, int]]
    funnel: list[reports.Stage]
    cohorts: list[reports.Cohort]
    adoption: list[tuple[str, int, int]]
    revenue: Revenue
    errors: list[TrackedError]


class Analytics:
    def __init__(self, settings: Settings, db: Database, clock: Clock, events: EventLog,
                 plans: Plans) -> None:
        self._db, self._clock, self._plans = db, clock, plans
        self.metrics = Metrics()
        self.errors = ErrorTracker(db, clock, events, self.metrics, secret_values(settings))
        # The machine's load per CPU (the live dashboard; tests pose their own).
        self.load: Callable[[], float] = load_per_cpu

    async def live(self) -> Snapshot:
        """The live dashboard's numbers now, in one read-only unit of work."""
        async with self._db.read() as session:
            return await snapshot(session, self._plans, self._clock.now(), self.load)

    async def dashboard(self, today: date | None = None, now: datetime | None = None
                        ) -> Dashboard:
        """Every report, read in one read-only unit of work."""
        now = now or self._clock.now()
        today = today or now.date()
        async with self._db.read() as session:
            return Dashboard(
                today=today,
                active=await reports.active(session, today),
                daily=await reports.daily_active(session, today),
                funnel=await reports.funnel(session),
                cohorts=await reports.cohorts(session, today),
                adoption=await reports.adoption(session, today),
                revenue=await revenue(session, self._plans, today, now),
                errors=await self.errors.recent(session),
            )
