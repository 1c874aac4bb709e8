"""Persisted flow state, one row per (transport, chat, user)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import ConversationState, Identity, User
from core.users import UserService, Who


class StateStore:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        # read on every update: built once (see core.users.UserService)
        self._row = select(ConversationState).where(
            ConversationState.transport == bindparam("in_transport"),
            ConversationState.chat_id == bindparam("in_chat"),
            ConversationState.user_id == bindparam("in_user"),
        )
        # the sender, their user and this chat's row, as every update starts
        self._opened = (
            select(Identity, User, ConversationState)
            .join(User, User.id == Identity.user_id)
            .outerjoin(ConversationState, and_(
                ConversationState.transport == bindparam("in_transport"),
                ConversationState.chat_id == bindparam("in_chat"),
                ConversationState.user_id == User.id))
            .where(Identity.transport == bindparam("who_transport"),
                   Identity.external_id == bindparam("who_id"))
        )

    async def open(self, session: AsyncSession, users: UserService, who: Who,
                   transport: str, chat_id: str) -> tuple[User, bool, ConversationState]:
        """The sender's user (created: True on first contact) and this conversation's
        row, in one query for a known sender in a known chat, which is nearly every
        update; a new chat creates its row (`load`), and first contact or a deleted
        account take the long way through `UserService.get_or_create`."""
        found = (await session.execute(self._opened, {
            "in_transport": transport, "in_chat": chat_id,
            "who_transport": who.transport, "who_id": who.external_id})).first()
        if found is not None and found.User.deleted_at is None:
            return found.User, False, found.ConversationState or await self.load(
                session, transport, chat_id, found.User.id)
        user, created = await users.get_or_create(session, who)
        return user, created, await self.load(session, transport, chat_id, user.id)

    async def load(
        self, session: AsyncSession, transport: str, chat_id: str, user_id: int
    ) -> ConversationState:
        """The row for this conversation, created empty on first contact."""
        params = {"in_transport": transport, "in_chat": chat_id, "in_user": user_id}
        row = (await session.scalars(self._row, params)).first()
        if row is not None:
            return row
        row = ConversationState(
            transport=transport,
            chat_id=chat_id,
            user_id=user_id,
            data={},
            version=0,
            updated_at=self._clock.now(),
        )
        try:
            async with session.begin_nested():
                session.add(row)
                await session.flush()
        except IntegrityError:
            return (await session.scalars(self._row, params)).one()
        return row

    def set(
        self, row: ConversationState, flow: str | None, step: str | None, data: dict[str, Any]
    ) -> None:
        """Replace the state. JSON columns need a new dict to register as changed.

        `row.version` is not touched here: SQLAlchemy bumps it on flush and checks it
        (optimistic locking, see `ConversationState`).
        """
        row.flow = flow
        row.step = step
        row.data = dict(data)
        row.updated_at = self._clock.now()
