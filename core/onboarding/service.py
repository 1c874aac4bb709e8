"""Recording consents and reading/writing the creator profile.

Stateless apart from the clock and the event log, so any front door (chat wizard, web
settings, CLI) builds one on the spot: `Onboarding(core.clock, core.events)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import Event, User
from core.events import EventKind, EventLog
from core.onboarding.models import Consent, CreatorProfile

# Bump when the Terms of Service or Privacy Policy change in a way people must accept
# again; the web pages show the same version.
TERMS_VERSION = "2025-06-01"
TERMS, ADULT = "terms", "adult"
MAX_NICHE = 120


def legal_links(public_url: str | None, host: str, port: int) -> tuple[str, str]:
    """(terms, privacy) page addresses on the web companion, as the chat links them."""
    base = (public_url or f"http://{host}:{port}").rstrip("/")
    return f"{base}/terms", f"{base}/privacy"


@dataclass(frozen=True)
class Profile:
    niche: str | None = None
    preferred_style: str | None = None


class Onboarding:
    def __init__(self, clock: Clock, events: EventLog) -> None:
        self._clock = clock
        self._events = events

    async def accept(self, session: AsyncSession, user: User, kind: str, via: str,
                     version: str = TERMS_VERSION) -> None:
        """Record an acceptance of `kind` (terms | adult) at `version`, once per version
        (and again after the creator took their 18+ confirmation back)."""
        if (await self.accepted(session, user, kind) == version
                and not await self._withdrawn_since(session, user, kind)):
            return
        session.add(Consent(user_id=user.id, kind=kind, version=version, via=via,
                            accepted_at=self._clock.now()))
        await self._events.record(session, EventKind(f"consent.{kind}"), user.id,
                                  version=version, via=via)

    async def accepted(self, session: AsyncSession, user: User, kind: str) -> str | None:
        """The latest version of `kind` this user accepted, or None."""
        stmt = (select(Consent.version).where(Consent.user_id == user.id, Consent.kind == kind)
                .order_by(Consent.accepted_at.desc(), Consent.id.desc()).limit(1))
        return (await session.scalars(stmt)).first()

    async def _withdrawn_since(self, session: AsyncSession, user: User, kind: str) -> bool:
        """Whether a "No" to the 18+ question came after the latest adult consent."""
        if kind != ADULT:
            return False
        consented = select(func.max(Consent.accepted_at)).where(
            Consent.user_id == user.id, Consent.kind == kind).scalar_subquery()
        stmt = select(Event.id).where(Event.user_id == user.id,
                                      Event.kind == EventKind.ADULT_REVOKED,
                                      Event.created_at >= consented).limit(1)
        return (await session.scalars(stmt)).first() is not None

    async def profile(self, session: AsyncSession, user: User) -> Profile:
        row = await session.get(CreatorProfile, user.id)
        return Profile() if row is None else Profile(row.niche, row.preferred_style)

    async def update_profile(self, session: AsyncSession, user: User, **changes: str | None
                             ) -> Profile:
        """Change `niche` and/or `preferred_style` (None clears)."""
        row = await session.get(CreatorProfile, user.id)
        if row is None:
            row = CreatorProfile(user_id=user.id, updated_at=self._clock.now())
            session.add(row)
        for key, value in changes.items():
            if key not in ("niche", "preferred_style"):
                raise TypeError(f"unknown profile field {key}")
            setattr(row, key, value)
        row.updated_at = self._clock.now()
        await session.flush()
        return Profile(row.niche, row.preferred_style)

    async def step_done(self, session: AsyncSession, user: User, step: int, *, skipped: bool,
                        total: int) -> None:
        """Step `step` was completed (or skipped) and the next one reached: the funnel
        inside the wizard."""
        await self._events.record(session, EventKind.ONBOARDING_STEP, user.id, step=step,
                                  status="skipped" if skipped else "completed")
        if step < total:
            await self._events.record(session, EventKind.ONBOARDING_STEP, user.id,
                                      step=step + 1, status="reached")

    async def where_stopped(self, session: AsyncSession, user: User
                            ) -> tuple[int, list[str]] | None:
        """Where the creator's latest wizard run stopped, read back from the funnel: the
        last step reached and the steps skipped on the way (None before step 2). A
        command typed mid-wizard ends its conversation state; /start resumes from this."""
        stmt = (select(Event.data).where(Event.user_id == user.id,
                                         Event.kind == EventKind.ONBOARDING_STEP)
                .order_by(Event.id))
        reached: int | None = None
        skipped: set[str] = set()
        for data in await session.scalars(stmt):
            step, status = int(data.get("step", 0)), data.get("status")
            if step == 1 and status != "reached":  # step 1 answered: a run starts
                reached, skipped = None, set()
            if status == "reached":
                reached = step
            elif status == "skipped":
                skipped.add(str(step))
        return None if reached is None else (reached, sorted(skipped))

    async def completed(self, session: AsyncSession, user: User, skipped: list[str],
                        actions: int) -> None:
        """The wizard reached its end (even with steps skipped): count it for the funnel."""
        await self._events.record(session, EventKind.ONBOARDING_COMPLETED, user.id,
                                  skipped=skipped, actions=actions)
