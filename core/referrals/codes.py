"""Referral codes: short, random, unambiguous, one per user, made on first use."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import User
from core.db.upsert import insert_for
from core.referrals.models import ReferralCode

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read aloud, typed by hand
LENGTH = 8
SHAPE = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")
TRIES = 5


def normalise(code: str) -> str | None:
    """The code as stored, or None when it cannot be one (never reaches the database)."""
    cleaned = code.strip().lower()
    return cleaned if SHAPE.fullmatch(cleaned) else None


async def code_of(session: AsyncSession, user_id: int) -> str | None:
    return await session.scalar(select(ReferralCode.code).where(
        ReferralCode.user_id == user_id))


async def ensure_code(session: AsyncSession, now: datetime, user_id: int) -> str:
    """The user's code, created on first use (a concurrent first use keeps one)."""
    for _ in range(TRIES):
        known = await code_of(session, user_id)
        if known is not None:
            return known
        fresh = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        taken = await session.scalar(select(ReferralCode.user_id).where(
            ReferralCode.code == fresh))
        if taken is None:
            async with session.begin_nested():
                await session.execute(insert_for(session)(ReferralCode).values(
                    user_id=user_id, code=fresh, created_at=now).on_conflict_do_nothing())
    known = await code_of(session, user_id)
    if known is None:
        raise RuntimeError("could not make a referral code")
    return known


async def owner_of(session: AsyncSession, code: str) -> User | None:
    """The live user whose code this is (None: no such code, or its user deleted)."""
    user = await session.scalar(select(User).join(
        ReferralCode, ReferralCode.user_id == User.id).where(ReferralCode.code == code))
    return None if user is None or user.deleted_at is not None else user
