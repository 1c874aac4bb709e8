"""Product event log: one row per thing worth counting later (analytics, audits)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import Event


class EventLog:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def record(
        self, session: AsyncSession, kind: str, user_id: int | None = None, **data: Any
    ) -> Event:
        """Add an event to the caller's unit of work (committed with it)."""
        event = Event(kind=kind, user_id=user_id, data=data, created_at=self._clock.now())
        session.add(event)
        await session.flush()
        return event

    async def count(self, session: AsyncSession, kind: str, user_id: int | None = None) -> int:
        stmt = select(func.count()).select_from(Event).where(Event.kind == kind)
        if user_id is not None:
            stmt = stmt.where(Event.user_id == user_id)
        return int(await session.scalar(stmt) or 0)


# Signup funnel. A demo try is counted without knowing who tried (the demo stores no
# user); a sign-up that came from it is counted again, with the new user, as a source.
DEMO_TRIED = "demo.tried"
SIGNUP_SOURCE = "signup.source"
