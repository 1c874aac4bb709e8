"""Product event log: one row per thing worth counting later (analytics, audits).

Every kind is named once, in `EventKind`; only core services record them. Two ways in:

- `record(session, ...)`: inside the caller's unit of work, committed with the fact it
  describes (a consent, a payment, a post). Use it when code reads the event back.
- `emit(...)`: fire and forget, for counting only. The row goes to the `EventWriter`
  buffer and is written in batches in the background, so a request or update never
  waits for it; a clean shutdown drains the buffer (`Core` closes it).

Each event carries where it came from: the transport (telegram, discord, web, console,
worker, cli) and a session id (the chat conversation or the web session), taken from
the `Origin` the front door set for the running task (`origin()`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import Event

if TYPE_CHECKING:
    from core.analytics.writer import EventWriter


class EventKind(StrEnum):
    """Every event kind, in one place (values are what the `events.kind` column holds)."""

    SIGNUP = "user.created"  # data: transport
    SIGNUP_SOURCE = "signup.source"  # data: source = direct | referral | demo
    FIRST_CONTACT = "user.first_contact"  # data: transport (once per user and transport)
    ADULT_CONFIRMED = "user.adult_confirmed"
    ADULT_REVOKED = "user.adult_revoked"  # "No" to the 18+ question (data: had_confirmed)
    TIMEZONE_SET = "user.timezone_set"
    USER_MERGED = "user.merged"
    USER_DELETED = "user.deleted"
    USER_RESTORED = "user.restored"  # came back within the deletion grace period
    USER_PURGED = "user.purged"  # recorded without a user: nothing of theirs is left
    DEMO_TRIED = "demo.tried"
    CONSENT_TERMS = "consent.terms"
    CONSENT_ADULT = "consent.adult"
    ONBOARDING_STEP = "onboarding.step"  # data: step, done (reached or completed)
    ONBOARDING_DONE = "user.onboarded"
    ONBOARDING_COMPLETED = "onboarding.completed"  # data: skipped, actions
    CAPTION_GENERATED = "caption.generated"  # data: platform, tone, provider
    CAPTION_REFUSED = "caption.refused"
    CAPTION_OUTPUT_BLOCKED = "caption.output_blocked"
    CAPTION_QUOTA_REACHED = "caption.quota_reached"
    CAPTION_USED = "caption.used"
    IMAGE_PROTECTED = "image.protected"  # data: level
    POST_CREATED = "posting.job_created"
    POST_SCHEDULED = "posting.scheduled"  # data: due_at
    POSTED = "reddit.posted"
    POST_RECOVERED = "reddit.post_recovered"
    POST_FAILED = "reddit.post_failed"
    POST_REMOVED = "reddit.post_removed"
    POST_RESTORED = "reddit.post_restored"
    REDDIT_CONNECTED = "reddit.account_connected"
    REDDIT_REMOVED = "reddit.account_removed"
    REDDIT_REVOKED = "reddit.account_revoked"
    SUBSCRIPTION_STARTED = "subscription.started"  # data: tier, source, revenue
    SUBSCRIPTION_CHANGED = "subscription.changed"
    SUBSCRIPTION_CANCELLED = "subscription.cancelled"
    QUOTA_REACHED = "billing.quota_reached"
    LIMIT_REACHED = "billing.limit_reached"  # a plan limit other than a daily quota
    STRIPE_EVENT = "billing.stripe_event"
    STARS_PAID = "billing.stars_paid"
    STARS_REFUNDED = "billing.stars_refunded"
    FEATURE_USED = "feature.used"  # data: feature
    ERROR = "error"  # data: fingerprint, where, type


@dataclass(frozen=True)
class Origin:
    """Where the running work came from: stamped on every event it records."""

    transport: str
    session_id: str | None = None


# Per task, never shared between apps: a ContextVar is copied into each task.
_ORIGIN: ContextVar[Origin | None] = ContextVar("thottopilot_event_origin", default=None)


@contextmanager
def origin(transport: str, session_id: str | None = None) -> Iterator[Origin]:
    """Within this block (and tasks started in it) events carry this origin."""
    value = Origin(transport, session_id[:64] if session_id else None)
    token = _ORIGIN.set(value)
    try:
        yield value
    finally:
        _ORIGIN.reset(token)


def chat_session(transport: str, chat_id: str | int) -> str:
    """A chat's session id: stable, without the raw chat id."""
    digest = hashlib.sha256(f"{transport}:{chat_id}".encode()).hexdigest()[:16]
    return f"{transport}:{digest}"


def current_origin() -> Origin | None:
    return _ORIGIN.get()


class EventLog:
    def __init__(self, clock: Clock, writer: EventWriter | None = None) -> None:
        self._clock = clock
        self.writer = writer

    def _row(self, kind: str, user_id: int | None, data: dict[str, Any]) -> dict[str, Any]:
        where = _ORIGIN.get()
        return {"kind": str(kind), "user_id": user_id, "data": data,
                "created_at": self._clock.now(),
                "transport": where.transport if where else None,
                "session_id": where.session_id if where else None}

    async def record(
        self, session: AsyncSession, kind: str, user_id: int | None = None, **data: Any
    ) -> Event:
        """Add an event to the caller's unit of work (committed with it)."""
        event = Event(**self._row(kind, user_id, data))
        session.add(event)
        await session.flush()
        return event

    def emit(self, kind: EventKind, user_id: int | None = None, **data: Any) -> None:
        """Count something without waiting: buffered, written in the background.
        Without a writer (a `Core`-less tool) the event is dropped."""
        if self.writer is not None:
            self.writer.put(self._row(kind, user_id, data))

    def feature_used(self, feature: str, user_id: int | None) -> None:
        self.emit(EventKind.FEATURE_USED, user_id, feature=feature)

    async def ever(self, session: AsyncSession, kind: str, user_id: int) -> bool:
        """Whether `user_id` ever had a `kind` event, archived ones included (the daily
        archival moves events past its horizon out of `events`: a fact like "chose UTC"
        must not be forgotten with them)."""
        from core.analytics.models import ArchivedEvent  # the archive's own table

        for table in (Event, ArchivedEvent):
            if await session.scalar(select(table.id).where(
                    table.kind == kind, table.user_id == user_id).limit(1)) is not None:
                return True
        return False

    async def count(self, session: AsyncSession, kind: str, user_id: int | None = None) -> int:
        stmt = select(func.count()).select_from(Event).where(Event.kind == kind)
        if user_id is not None:
            stmt = stmt.where(Event.user_id == user_id)
        return int(await session.scalar(stmt) or 0)


# Older names, kept for their importers.
DEMO_TRIED = EventKind.DEMO_TRIED
SIGNUP_SOURCE = EventKind.SIGNUP_SOURCE
