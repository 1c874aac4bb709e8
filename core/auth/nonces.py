"""Secrets that work once: the store behind magic links and identity link codes.

Why a row and not just a signed, expiring token: a signature proves who minted a link,
not that it has not been used. Forwarded, leaked through a shared screen or replayed
from browser history, a sign-in link must stop working after its first use. Using one
up is a single conditional UPDATE (`... WHERE used_at IS NULL AND expires_at > now`):
on PostgreSQL a concurrent second UPDATE waits for the first to commit and then finds
nothing to update; on SQLite write units are serialised (`BEGIN IMMEDIATE`). Either
way exactly one redemption sees a row count of 1.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import errors
from core.auth.models import AuthNonce
from core.clock import Clock
from core.signing import Signer

_MAC_PURPOSE = "auth-nonce"


class NonceStore:
    def __init__(self, signer: Signer, clock: Clock) -> None:
        self._signer = signer
        self._clock = clock

    def digest(self, purpose: str, secret: str) -> str:
        """What the table keeps instead of the secret: a keyed MAC (hex), bound to the
        purpose, so a link code can never be spent as a sign-in nonce or the reverse."""
        return self._signer.mac(_MAC_PURPOSE, f"{purpose}\x00{secret}", size=32).hex()

    async def add(
        self, session: AsyncSession, purpose: str, secret: str, user_id: int, ttl: timedelta
    ) -> datetime:
        """Remember `secret` as unused until now + `ttl`; returns that expiry."""
        now = self._clock.now()
        row = AuthNonce(digest=self.digest(purpose, secret), purpose=purpose, user_id=user_id,
                        created_at=now, expires_at=now + ttl, used_at=None)
        session.add(row)
        await session.flush()
        return row.expires_at

    async def spend(self, session: AsyncSession, purpose: str, secret: str, user_id: int,
                    ttl: timedelta) -> bool:
        """Record `secret` as used now, kept until now + `ttl`; False if it was spent
        before (a replay). For secrets made elsewhere and presented once (a Login Widget
        hash); of two racing spends one INSERT wins, on every backend."""
        now = self._clock.now()
        try:
            async with session.begin_nested():
                session.add(AuthNonce(digest=self.digest(purpose, secret), purpose=purpose,
                                      user_id=user_id, created_at=now, expires_at=now + ttl,
                                      used_at=now))
        except IntegrityError:
            return False
        return True

    async def peek(self, session: AsyncSession, purpose: str, secret: str) -> AuthNonce | None:
        """The live (unused, unexpired) row for `secret`, without using it up."""
        row = await session.get(AuthNonce, self.digest(purpose, secret))
        if row is None or row.purpose != purpose or row.used_at is not None:
            return None
        return row if row.expires_at > self._clock.now() else None

    async def consume(self, session: AsyncSession, purpose: str, secret: str) -> int | None:
        """Use `secret` up; the user id it was issued for, or None (unknown, expired,
        already used). At most one caller ever gets the id back."""
        now = self._clock.now()
        stmt = (
            update(AuthNonce)
            .where(AuthNonce.digest == self.digest(purpose, secret),
                   AuthNonce.purpose == purpose,
                   AuthNonce.used_at.is_(None),
                   AuthNonce.expires_at > now)
            .values(used_at=now)
            .returning(AuthNonce.user_id)
            .execution_options(synchronize_session=False)
        )
        return (await session.execute(stmt)).scalar_one_or_none()

    async def status(self, session: AsyncSession, purpose: str, secret: str) -> str:
        """Why a secret did not work, as an `errors` reason (used, expired, invalid),
        for the message a person sees. Only asked after `consume` or `peek` said no."""
        row = await session.get(AuthNonce, self.digest(purpose, secret), populate_existing=True)
        if row is None or row.purpose != purpose:
            return errors.INVALID
        return errors.USED if row.used_at is not None else errors.EXPIRED

    async def purge(self, session: AsyncSession, older_than: timedelta = timedelta(days=1)) -> int:
        """Delete rows expired for longer than `older_than` (they can only say "expired")."""
        stmt = delete(AuthNonce).where(AuthNonce.expires_at < self._clock.now() - older_than)
        result = await session.execute(stmt)
        return int(result.rowcount) if isinstance(result, CursorResult) else 0
