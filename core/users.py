"""Users and their per-transport identities."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import CursorResult, Select, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import Identity, User
from core.errors import UserFacingError
from core.events import EventKind, EventLog


@dataclass(frozen=True)
class Who:
    """How a transport names a person."""

    transport: str
    external_id: str
    display_name: str | None = None
    username: str | None = None
    language: str | None = None


LOCAL_TRANSPORT = "console"
FALLBACK_LOCAL_NAME = "local"


def local_who(name: str | None = None) -> Who:
    """The installation's local creator: whoever runs `thottopilot` in a terminal.

    `thottopilot chat` and every CLI command without `--user` act for this one person,
    so a fresh install works without knowing any id. The login name keys it; `name`
    (`chat --as NAME`) picks another local person.
    """
    return Who(LOCAL_TRANSPORT, name or _login_name(), display_name=name)


def _login_name() -> str:
    # getpass.getuser() raises in containers whose uid has no passwd entry and no $USER.
    try:
        return getpass.getuser() or FALLBACK_LOCAL_NAME
    except (OSError, KeyError):
        return FALLBACK_LOCAL_NAME


@dataclass(frozen=True)
class UserSummary:
    """One row of `thottopilot users`: who a user is on each transport."""

    id: int
    display_name: str | None
    created_at: datetime
    identities: tuple[str, ...] = field(default_factory=tuple)


class UserService:
    def __init__(self, clock: Clock, events: EventLog) -> None:
        self._clock = clock
        self._events = events
        # Every chat update starts here: built once, identity and user in one query
        # (rather than two, each statement built anew), see bench/bot.
        self._who = (
            select(Identity, User).join(User, User.id == Identity.user_id)
            .where(Identity.transport == bindparam("who_transport"),
                   Identity.external_id == bindparam("who_id"))
        )

    async def get(self, session: AsyncSession, user_id: int) -> User | None:
        user = await session.get(User, user_id)
        return None if user is None or user.deleted_at is not None else user

    async def find(self, session: AsyncSession, transport: str, external_id: str) -> User | None:
        stmt = _account(transport, external_id).where(User.deleted_at.is_(None))
        return (await session.scalars(stmt)).first()

    async def pending_deletion(self, session: AsyncSession, who: Who) -> User | None:
        """The account behind `who` if it is pending deletion (soft-deleted), else None:
        for what must still reach it then (a payment to give back)."""
        stmt = _account(who.transport, who.external_id).where(User.deleted_at.is_not(None))
        return (await session.scalars(stmt)).first()

    async def local_creator(self, session: AsyncSession, name: str | None = None) -> User:
        """The local creator (see `local_who`), created on first use."""
        user, _ = await self.get_or_create(session, local_who(name))
        return user

    async def find_local(self, session: AsyncSession, name: str | None = None) -> User | None:
        """The local creator if they exist yet; never creates (for read-only listings)."""
        who = local_who(name)
        return await self.find(session, who.transport, who.external_id)

    async def directory(
        self, session: AsyncSession, *, search: str | None = None, limit: int = 50
    ) -> list[UserSummary]:
        """Live users with their identities ("telegram:42 @alice"), oldest first.

        `search` matches a display name, chat username or external id (case-insensitive),
        which is how an operator finds the id of a creator they know only by handle.
        """
        stmt = select(User).where(User.deleted_at.is_(None)).order_by(User.id).limit(limit)
        if search:
            pattern = f"%{search.strip().removeprefix('@').lower()}%"
            matching = select(Identity.user_id).where(
                func.lower(Identity.external_id).like(pattern)
                | func.lower(func.coalesce(Identity.username, "")).like(pattern)
            )
            stmt = stmt.where(
                User.id.in_(matching) | func.lower(func.coalesce(User.display_name, "")).like(
                    pattern)
            )
        users = list(await session.scalars(stmt))
        labels: dict[int, list[str]] = {u.id: [] for u in users}
        if users:
            rows = await session.scalars(
                select(Identity).where(Identity.user_id.in_(list(labels))).order_by(Identity.id))
            for identity in rows:
                handle = f" @{identity.username}" if identity.username else ""
                labels[identity.user_id].append(
                    f"{identity.transport}:{identity.external_id}{handle}")
        return [UserSummary(u.id, u.display_name, u.created_at, tuple(labels[u.id]))
                for u in users]

    async def identity_label(self, session: AsyncSession, user_id: int) -> str | None:
        """How the person knows their own chat account ("@alice on Telegram"), so a page
        acting for a chat user can show whose account it is."""
        identity = (await session.scalars(
            select(Identity).where(Identity.user_id == user_id).order_by(Identity.id)
        )).first()
        if identity is None:
            return None
        name = f"@{identity.username}" if identity.username else identity.external_id
        return f"{name} on {identity.transport.capitalize()}"

    async def get_or_create(self, session: AsyncSession, who: Who) -> tuple[User, bool]:
        """Return the user behind an identity, creating both on first contact.

        Two processes may see the same first message; the unique constraint on
        (transport, external_id) decides, and the loser re-reads the winner's row.
        Someone who deleted their account and writes again starts fresh: the identity
        moves to a new user and the old, soft-deleted one keeps its history.
        """
        found = (await session.execute(
            self._who, {"who_transport": who.transport, "who_id": who.external_id})).first()
        if found is not None:
            identity, user = found
            if user.deleted_at is None:
                return user, False
            await self._refuse_pending_deletion(session, user)
            user = self._new_user(who)
            session.add(user)
            await session.flush()
            identity.user_id = user.id
            await self._signed_up(session, user, who.transport)
            return user, True
        try:
            async with session.begin_nested():
                user = self._new_user(who)
                session.add(user)
                await session.flush()
                session.add(
                    Identity(
                        user_id=user.id,
                        transport=who.transport,
                        external_id=who.external_id,
                        username=who.username,
                        created_at=self._clock.now(),
                    )
                )
                await session.flush()
        except IntegrityError:
            existing = await self.find(session, who.transport, who.external_id)
            if existing is None:
                raise
            return existing, False
        await self._signed_up(session, user, who.transport)
        return user, True

    async def _refuse_pending_deletion(self, session: AsyncSession, user: User) -> None:
        """A person who asked to delete their account and writes again within the grace
        period is told when it goes and how to keep it (/restore); nothing starts fresh
        until then, so their way back stays open."""
        from core.privacy.models import AccountDeletion

        request = await session.get(AccountDeletion, user.id)
        if request is not None:
            raise UserFacingError("account_pending_deletion",
                                  date=f"{request.purge_after.day} {request.purge_after:%B %Y}")

    async def _signed_up(self, session: AsyncSession, user: User, transport: str) -> None:
        await self._events.record(session, EventKind.SIGNUP, user.id, transport=transport)
        await self._events.record(session, EventKind.FIRST_CONTACT, user.id,
                                  transport=transport)

    def _new_user(self, who: Who) -> User:
        now = self._clock.now()
        return User(
            display_name=who.display_name, language=who.language, created_at=now, updated_at=now
        )

    async def confirm_adult(self, session: AsyncSession, user: User) -> None:
        """Record the explicit 18+ confirmation that NSFW features require."""
        user.adult_confirmed_at = self._clock.now()
        user.updated_at = user.adult_confirmed_at
        await self._events.record(session, EventKind.ADULT_CONFIRMED, user.id)

    async def revoke_adult(self, session: AsyncSession, user: User) -> None:
        """The creator answered "No" to the 18+ question: an earlier confirmation no
        longer counts, adult content goes off, and turning it on again asks again
        (on every front door: the chat, the web and the Mini App)."""
        had_confirmed = user.adult_confirmed_at is not None
        user.adult_confirmed_at = None
        user.nsfw_enabled = False
        user.updated_at = self._clock.now()
        await self._events.record(session, EventKind.ADULT_REVOKED, user.id,
                                  had_confirmed=had_confirmed)

    async def set_nsfw(self, session: AsyncSession, user: User, enabled: bool) -> bool:
        """Turn NSFW on or off; turning it on without the 18+ confirmation is refused."""
        if enabled and user.adult_confirmed_at is None:
            return False
        user.nsfw_enabled = enabled
        user.updated_at = self._clock.now()
        return True

    async def mark_onboarded(self, session: AsyncSession, user: User) -> None:
        if user.onboarded_at is None:
            user.onboarded_at = self._clock.now()
            await self._events.record(session, EventKind.ONBOARDING_DONE, user.id)

    async def absorb(self, session: AsyncSession, survivor: User, absorbed: User) -> int:
        """One person, two accounts (e.g. Telegram and Discord, linked by a code): move
        every identity of `absorbed` onto `survivor` and retire `absorbed` (soft delete,
        so its history stays). Returns how many identities moved. Which account survives,
        and whether merging is allowed at all, is the caller's decision (core.auth.linking).
        """
        had = set(await session.scalars(
            select(Identity.transport).where(Identity.user_id == survivor.id)))
        gained = set(await session.scalars(
            select(Identity.transport).where(Identity.user_id == absorbed.id))) - had
        moved = await session.execute(
            update(Identity).where(Identity.user_id == absorbed.id)
            .values(user_id=survivor.id).execution_options(synchronize_session="fetch"))
        absorbed.deleted_at = survivor.updated_at = self._clock.now()
        await self._events.record(session, EventKind.USER_MERGED, survivor.id, absorbed=absorbed.id)
        for transport in sorted(gained):  # first contact through this transport
            await self._events.record(session, EventKind.FIRST_CONTACT, survivor.id,
                                      transport=transport)
        return int(moved.rowcount) if isinstance(moved, CursorResult) else 0

    async def set_timezone(self, session: AsyncSession, user: User, zone: str) -> None:
        """The creator chose their zone (even UTC): scheduling stops asking."""
        user.timezone = zone
        user.updated_at = self._clock.now()
        await self._events.record(session, EventKind.TIMEZONE_SET, user.id, zone=zone)

    async def zone_chosen(self, session: AsyncSession, user: User) -> bool:
        if (user.timezone or "UTC") != "UTC":
            return True
        return await self._events.ever(session, EventKind.TIMEZONE_SET, user.id)

    async def signup_source(self, session: AsyncSession, user: User, source: str,
                            *, new: bool, via: str) -> None:
        """Where a sign-up came from (direct | referral | demo), for the funnel."""
        await self._events.record(session, EventKind.SIGNUP_SOURCE, user.id, source=source,
                                  new=new, via=via)

    async def demo_tried(self, session: AsyncSession, what: str, n: int, via: str) -> None:
        """Someone without an account tried the demo (no user is stored)."""
        await self._events.record(session, EventKind.DEMO_TRIED, None, what=what, n=n, via=via)

    async def soft_delete(self, session: AsyncSession, user: User) -> None:
        user.deleted_at = self._clock.now()
        await self._events.record(session, EventKind.USER_DELETED, user.id)


def _account(transport: str, external_id: str) -> Select[User]:
    """The user behind one chat identity (a SELECT to narrow further)."""
    return (select(User).join(Identity, Identity.user_id == User.id)
            .where(Identity.transport == transport, Identity.external_id == external_id))

