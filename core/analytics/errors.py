"""Unhandled errors, caught centrally (bot dispatcher, web error middleware, background
jobs), become one `error_reports` row per fingerprint with a count, first and last seen
and the latest context; each is also counted (metrics) and an `error` event. When a
Sentry DSN is configured the error is forwarded too (`forward`, set at start-up).

Recording an error must never make things worse: any failure here is logged and
swallowed, and the user still gets the friendly message from the front door.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics.fingerprint import error_type, fingerprint, frames
from core.analytics.metrics import Metrics
from core.analytics.models import ErrorReport
from core.clock import Clock
from core.db.database import Database
from core.events import EventKind, EventLog

log = logging.getLogger(__name__)

MAX_MESSAGE = 300
Forward = Callable[[BaseException, dict[str, Any]], None]


class ErrorTracker:
    def __init__(self, db: Database, clock: Clock, events: EventLog, metrics: Metrics,
                 secrets: Iterable[str] = ()) -> None:
        self._db, self._clock, self._events, self._metrics = db, clock, events, metrics
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        self.forward: Forward | None = None

    def _message(self, exc: BaseException) -> str:
        text = str(exc)[: MAX_MESSAGE * 2]
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text[:MAX_MESSAGE]

    async def capture(self, exc: BaseException, where: str, **context: str | int | None
                      ) -> str:
        """Record `exc` seen in `where` (bot | web | job); returns its fingerprint."""
        found = fingerprint(exc)
        context = {k: v for k, v in context.items() if v is not None}
        try:
            self._metrics.error(where)
            user_id = context.get("user_id")
            self._events.emit(EventKind.ERROR, user_id if isinstance(user_id, int) else None,
                              fingerprint=found, where=where, type=error_type(exc))
            await self._store(exc, found, where, context)
        except Exception:
            log.exception("could not record an error")
        if self.forward is not None:
            try:
                self.forward(exc, {"where": where, "fingerprint": found, **context})
            except Exception:
                log.exception("could not forward an error")
        return found

    async def _store(self, exc: BaseException, found: str, where: str,
                     context: dict[str, Any]) -> None:
        now = self._clock.now()
        bump = (update(ErrorReport).where(ErrorReport.fingerprint == found)
                .values(count=ErrorReport.count + 1, last_seen=now, context=context,
                        message=self._message(exc)))
        async with self._db.session() as session:
            if (await session.execute(bump)).rowcount:  # type: ignore[attr-defined]
                return
            try:
                async with session.begin_nested():
                    session.add(ErrorReport(
                        fingerprint=found, where=where, error_type=error_type(exc)[:128],
                        message=self._message(exc), frames="\n".join(frames(exc)),
                        context=context, count=1, first_seen=now, last_seen=now))
            except IntegrityError:  # another process recorded it first
                await session.execute(bump)

    async def recent(self, session: AsyncSession, limit: int = 50) -> list[TrackedError]:
        """The errors seen most recently first (plain values, usable after the session)."""
        stmt = select(ErrorReport).order_by(ErrorReport.last_seen.desc()).limit(limit)
        return [TrackedError(r.fingerprint, r.where, r.error_type, r.message, r.count,
                             r.first_seen, r.last_seen, dict(r.context))
                for r in await session.scalars(stmt)]


@dataclass(frozen=True)
class TrackedError:
    fingerprint: str
    where: str
    error_type: str
    message: str
    count: int
    first_seen: datetime
    last_seen: datetime
    context: dict[str, Any]
