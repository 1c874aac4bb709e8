"""Persisted flow state, one row per (transport, chat, user)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import ConversationState


class StateStore:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        # read on every update: built once (see core.users.UserService)
        self._row = select(ConversationState).where(
            ConversationState.transport == bindparam("in_transport"),
            ConversationState.chat_id == bindparam("in_chat"),
            ConversationState.user_id == bindparam("in_user"),
        )

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
