"""Anomaly alerts to the team's Telegram chat, once per incident (issue 15.6).

Every `launch.check_every_seconds` the checker (worker role) looks at four conditions:
error rate, p99 web latency, load per CPU and the scheduler's backlog
(`core.analytics.alerts_signals`). A condition that starts *opens* an incident; one that
clears *closes* it; nothing is said while it merely goes on. Each change is one outbox
notice per team chat (kind `team_alert`, so only the `team` deliverer sends it),
committed in the same transaction as the incident row.

Open incidents are `job_claims` rows (name `alert.<kind>`, period `open`): the primary
key lets only one process open an incident, and closing renames the period to the
moment it opened, which keeps the history and frees `open` for the next incident.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics import alerts_signals as signals
from core.analytics.models import JobClaim
from core.db.models import Identity
from core.posting.outbox import notify
from core.support import team_chats

if TYPE_CHECKING:
    from core.bootstrap import Core
    from core.posting.worker import Workers

log = logging.getLogger(__name__)

ALERT_NOTICE = "team_alert"  # core.posting.outbox.TEAM_PREFIX: the team's chat only
OPEN, CLEAR = "open", "clear"
ERROR_RATE, P99, LOAD, BACKLOG = "error_rate", "p99", "load", "backlog"
KINDS = (ERROR_RATE, P99, LOAD, BACKLOG)


def claim_name(kind: str) -> str:
    return f"alert.{kind}"


@dataclass(frozen=True)
class Reading:
    """One condition at one look: its value (None: not measurable now) and threshold."""

    kind: str
    value: float | None
    threshold: float
    detail: dict[str, Any]

    @property
    def firing(self) -> bool:
        return self.value is not None and self.value > self.threshold


@dataclass(frozen=True)
class Change:
    kind: str
    phase: str  # OPEN | CLEAR
    opened_at: datetime


class AlertChecker:
    """Looks at the conditions and opens or closes incidents. `load` (default: the
    Core's, `Analytics.load`) lets tests pose a loaded machine. Error rate and latency
    are deltas since the previous look, so the first look only takes their baseline."""

    def __init__(self, core: Core, load: Callable[[], float] | None = None) -> None:
        self.core = core
        self._load = load
        self._totals: signals.Totals | None = None

    def baseline(self) -> None:
        """Take the metrics' counts now, so the next look has a window to compare."""
        self._totals = signals.read_totals(self.core.analytics.metrics)

    async def readings(self, session: AsyncSession, now: datetime) -> list[Reading]:
        cfg = self.core.settings.launch
        before, after = self._totals, signals.read_totals(self.core.analytics.metrics)
        self._totals = after
        rate = signals.error_rate(before, after, cfg.min_handled) if before else None
        slow = signals.p99(before, after, cfg.min_handled) if before else None
        late = await signals.backlog(session, now, cfg.backlog_minutes)
        window = {"handled": int(after.handled - before.handled)} if before else {}
        return [
            Reading(ERROR_RATE, rate, cfg.error_rate, window),
            Reading(P99, slow, cfg.p99_seconds, window),
            Reading(LOAD, round((self._load or self.core.analytics.load)(), 2),
                    cfg.load_per_cpu, {}),
            Reading(BACKLOG, float(late.late), 0.0,
                    {"minutes": cfg.backlog_minutes, "oldest_minutes": late.oldest_minutes}),
        ]

    async def check(self) -> list[Change]:
        """One look: the incidents opened or closed by it."""
        now = self.core.clock.now()
        async with self.core.db.read() as session:
            readings = await self.readings(session, now)
        changes = []
        for reading in readings:
            change = await self._settle(reading, now)
            if change is not None:
                changes.append(change)
        return changes

    async def _settle(self, reading: Reading, now: datetime) -> Change | None:
        name = claim_name(reading.kind)
        try:
            async with self.core.db.session() as session:
                row = await session.get(JobClaim, (name, OPEN))
                if reading.firing and row is None:
                    session.add(JobClaim(name=name, period=OPEN, claimed_at=now,
                                         result=_facts(reading)))
                    await session.flush()
                    await self._tell(session, now, reading, OPEN, now)
                    return Change(reading.kind, OPEN, now)
                if not reading.firing and row is not None and reading.value is not None:
                    # (too little traffic to measure says nothing about it: still open)
                    opened = row.claimed_at
                    await session.execute(
                        update(JobClaim).where(JobClaim.name == name, JobClaim.period == OPEN)
                        .values(period=opened.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                                finished_at=now))
                    await self._tell(session, now, reading, CLEAR, opened)
                    return Change(reading.kind, CLEAR, opened)
        except IntegrityError:  # another process opened or closed it first
            return None
        return None

    async def _tell(self, session: AsyncSession, now: datetime, reading: Reading,
                    phase: str, opened_at: datetime) -> None:
        admin = await _admin_user(session, self.core.settings.admin.telegram_ids)
        if admin is None:
            log.warning("alert %s %s: no admin has an account to address it to",
                        reading.kind, phase)
            return
        stamp = opened_at.strftime("%Y%m%dT%H%M%S.%f")
        for chat in team_chats(self.core.settings):
            await notify(session, now, admin, ALERT_NOTICE,
                         f"alert:{reading.kind}:{stamp}:{phase}:{chat}", chat=chat,
                         phase=phase, opened_at=opened_at.isoformat(), **_facts(reading))


def _facts(reading: Reading) -> dict[str, Any]:
    return {"alert": reading.kind, "value": reading.value, "threshold": reading.threshold,
            **reading.detail}


async def _admin_user(session: AsyncSession, telegram_ids: list[int]) -> int | None:
    """An admin's user id: outbox rows belong to a user (the team's chat is theirs)."""
    if not telegram_ids:
        return None
    return await session.scalar(
        select(Identity.user_id).where(Identity.transport == "telegram",
                                       Identity.external_id.in_([str(i) for i in
                                                                 telegram_ids]))
        .order_by(Identity.user_id).limit(1))


async def run_checker(checker: AlertChecker, every: float, stop: asyncio.Event) -> None:
    """Look every `every` seconds until `stop` (the first look one interval after the
    start, which only takes the metrics' baseline); a failed look is logged and
    captured."""
    core = checker.core
    checker.baseline()
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            async with core.clock.timeout(every):
                await stop.wait()
        if stop.is_set():
            return
        try:
            await checker.check()
        except Exception as exc:
            log.exception("the alert check failed")
            await core.analytics.errors.capture(exc, "job", job="alerts")


def start_alerts(core: Core) -> Workers:
    """The checker as a background task of `serve`'s worker role (when enabled)."""
    from core.posting.worker import Workers

    workers = Workers(asyncio.Event())
    cfg = core.settings.launch
    if cfg.alerts and core.settings.admin.telegram_ids:
        workers.tasks.append(asyncio.create_task(
            run_checker(AlertChecker(core), cfg.check_every_seconds, workers.stop_event),
            name="anomaly-alerts"))
    return workers
