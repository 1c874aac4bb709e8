"""Which identities make up one account, for the web's "linked accounts" page.

An account is one `User` with an identity per place the person talks to us (Telegram,
Discord, the terminal) and any number of signed-in browsers (web sessions). Linking
(`core.auth.linking`) moves identities between accounts; this only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.models import WebSession
from core.db.models import Identity, User


@dataclass(frozen=True)
class LinkedIdentity:
    transport: str  # telegram | discord | console | ...
    external_id: str
    username: str | None
    since: datetime

    @property
    def handle(self) -> str:
        """How the person knows it: "@alice", or the id when there is no username."""
        return f"@{self.username}" if self.username else self.external_id


@dataclass(frozen=True)
class AccountIdentities:
    identities: tuple[LinkedIdentity, ...]
    web_sessions: int  # browsers signed in right now, this one included

    def on(self, transport: str) -> tuple[LinkedIdentity, ...]:
        return tuple(i for i in self.identities if i.transport == transport)


async def account_identities(session: AsyncSession, user_id: int,
                             now: datetime) -> AccountIdentities:
    rows = await session.scalars(
        select(Identity).where(Identity.user_id == user_id).order_by(Identity.id))
    browsers = await session.scalar(
        select(func.count()).select_from(WebSession)
        .where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None),
               WebSession.expires_at > now))
    return AccountIdentities(
        tuple(LinkedIdentity(r.transport, r.external_id, r.username, r.created_at)
              for r in rows),
        int(browsers or 0))


@dataclass(frozen=True)
class Whoami:
    """The signed-in account in brief, for scripts (`/api/me`)."""

    user_id: int
    tier: str
    timezone: str | None
    identities: tuple[LinkedIdentity, ...]


async def whoami(session: AsyncSession, user_id: int) -> Whoami | None:
    """The live account and its identities in one query (None if it is gone): the
    API answers this on every call, so it costs one round trip, not three."""
    rows = (await session.execute(
        select(User.tier, User.timezone, Identity.transport, Identity.external_id,
               Identity.username, Identity.created_at)
        .select_from(User).outerjoin(Identity, Identity.user_id == User.id)
        .where(User.id == user_id, User.deleted_at.is_(None))
        .order_by(Identity.id))).all()
    if not rows:
        return None
    identities = tuple(LinkedIdentity(r.transport, r.external_id, r.username, r.created_at)
                       for r in rows if r.transport is not None)
    return Whoami(user_id, rows[0].tier, rows[0].timezone, identities)
