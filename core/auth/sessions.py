"""Server-side web sessions: the cookie carries a random id, the database decides.

Why server-side rather than a signed cookie: "sign out everywhere" (a lost phone) and
"this account was merged or deleted" must take effect on the next request, which only
a row we can revoke gives. The id is 32 random bytes; only its SHA-256 is stored.

Expiry rolls: each use moves it to `idle` from now, but never past `max_age` after
sign-in. Rolling writes, so it is done at most every `TOUCH_EVERY` per session: a page
view is a read (`get`, one statement, works in any `Database.read()`, so a handler
can share its own read unit with it), and `authenticate`/`roll` add a short write unit
only when a touch is due. The web layer sets the cookie (Secure, HttpOnly,
SameSite) from `NewSession.token` / `expires_at`; core never sees a request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.models import WebSession
from core.clock import Clock
from core.db.database import Database
from core.db.models import User

TOUCH_EVERY = timedelta(minutes=5)
_TOKEN_CHARS = 43  # 32 bytes of base64url without padding


@dataclass(frozen=True)
class NewSession:
    token: str  # the cookie value; shown once, never stored
    user_id: int
    expires_at: datetime


@dataclass(frozen=True)
class SessionInfo:
    user_id: int
    via: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime  # refresh the cookie's expiry from this
    id_hash: str


def id_hash(token: str) -> str:
    """A session cookie's row key (`WebSession.id_hash`): the token itself is never stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class SessionService:
    def __init__(self, clock: Clock, idle: timedelta, max_age: timedelta) -> None:
        self._clock = clock
        self.idle = idle
        self.max_age = max_age

    async def create(self, session: AsyncSession, user: User, via: str) -> NewSession:
        """A new signed-in session for `user` (always a new id: no fixation)."""
        token = secrets.token_urlsafe(32)
        now = self._clock.now()
        expires = min(now + self.idle, now + self.max_age)
        session.add(WebSession(id_hash=id_hash(token), user_id=user.id, via=via, created_at=now,
                               last_seen_at=now, expires_at=expires, revoked_at=None))
        await session.flush()
        return NewSession(token, user.id, expires)

    async def get(self, session: AsyncSession, token: str | None) -> SessionInfo | None:
        """The live session behind a cookie value, or None. Reads only: one statement
        (the row, still live, of an account not deleted), no ORM objects."""
        if not token or len(token) != _TOKEN_CHARS or not token.isascii():
            return None
        key = id_hash(token)
        row = (await session.execute(
            select(WebSession.user_id, WebSession.via, WebSession.created_at,
                   WebSession.last_seen_at, WebSession.expires_at)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.id_hash == key, WebSession.revoked_at.is_(None),
                   WebSession.expires_at > self._clock.now(), User.deleted_at.is_(None))
        )).first()
        if row is None:
            return None
        return SessionInfo(row.user_id, row.via, row.created_at, row.last_seen_at,
                           row.expires_at, key)

    async def touch(self, session: AsyncSession, info: SessionInfo) -> SessionInfo:
        """Roll the expiry forward (if still live); returns the updated view."""
        now = self._clock.now()
        expires = min(now + self.idle, info.created_at + self.max_age)
        result = await session.execute(
            update(WebSession)
            .where(WebSession.id_hash == info.id_hash, WebSession.revoked_at.is_(None),
                   WebSession.expires_at > now)
            .values(last_seen_at=now, expires_at=expires)
            .execution_options(synchronize_session=False))
        if isinstance(result, CursorResult) and result.rowcount == 1:
            return SessionInfo(info.user_id, info.via, info.created_at, now, expires,
                               info.id_hash)
        return info

    def touch_due(self, info: SessionInfo) -> bool:
        return self._clock.now() - info.last_seen_at >= TOUCH_EVERY

    async def authenticate(self, db: Database, token: str | None) -> SessionInfo | None:
        """For a request: look the cookie up in a read unit; roll the expiry in a short
        write unit only when due. None means "not signed in"."""
        async with db.read() as session:
            info = await self.get(session, token)
        return None if info is None else await self.roll(db, info)

    async def roll(self, db: Database, info: SessionInfo) -> SessionInfo:
        """Roll the expiry forward in a short write unit, only when a touch is due."""
        if not self.touch_due(info):
            return info
        async with db.session() as session:
            return await self.touch(session, info)

    async def revoke(self, session: AsyncSession, token: str | None) -> bool:
        """Sign this browser out. True if a live session ended."""
        if not token:
            return False
        return await self._revoke(session, WebSession.id_hash == id_hash(token)) > 0

    async def revoke_all(self, session: AsyncSession, user_id: int) -> int:
        """Sign out everywhere: every live session of `user_id`; how many ended."""
        return await self._revoke(session, WebSession.user_id == user_id)

    async def _revoke(self, session: AsyncSession, which: ColumnElement[bool]) -> int:
        result = await session.execute(
            update(WebSession)
            .where(which, WebSession.revoked_at.is_(None))
            .values(revoked_at=self._clock.now())
            .execution_options(synchronize_session=False))
        return int(result.rowcount) if isinstance(result, CursorResult) else 0
