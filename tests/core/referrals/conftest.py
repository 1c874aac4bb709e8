"""Referral specs run on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from core.billing import grants
from core.bootstrap import Core
from core.db.models import User
from core.referrals.service import Attribution, Referrals
from core.users import Who

MakeUser = Callable[[str], Awaitable[User]]


@pytest.fixture
def referrals(core: Core) -> Referrals:
    return Referrals.from_core(core)


@pytest.fixture
def make_user(core: Core) -> MakeUser:
    async def _make(name: str) -> User:
        async with core.db.session() as session:
            user, _ = await core.users.get_or_create(session, Who("telegram", name))
        return user

    return _make


async def code_of(core: Core, referrals: Referrals, user: User) -> str:
    async with core.db.session() as session:
        return await referrals.code_for(session, user)


async def sign_up_through(core: Core, referrals: Referrals, code: str, name: str
                          ) -> tuple[User, Attribution]:
    """Someone new opens the bot through `code`'s link: their account is made by it."""
    async with core.db.session() as session:
        user, created = await core.users.get_or_create(session, Who("telegram", name))
        done = await referrals.attribute(session, user, code, via="telegram",
                                         new_user=created)
    return user, done


async def alice_referring(core: Core, referrals: Referrals, make_user: MakeUser,
                          *names: str) -> tuple[User, list[User]]:
    """Alice, and the people `names` who signed up through her referral link."""
    alice = await make_user("alice")
    code = await code_of(core, referrals, alice)
    return alice, [(await sign_up_through(core, referrals, code, name))[0] for name in names]


async def pays_by_stars(core: Core, user: User, charge: str, status: str = "active") -> None:
    """The payment-granted path every provider ends in (core.billing.grants): money in
    with an active plan (a trial grants the plan with no payment)."""
    async with core.db.session() as session:
        fresh = await session.get(User, user.id)
        assert fresh is not None
        await grants.grant(session, core.clock.now(), fresh, source="stars", ref=charge,
                           tier="starter", status=status,
                           ends_at=core.clock.now() + timedelta(days=30),
                           paid=f"stars:{charge}" if status == "active" else None)
