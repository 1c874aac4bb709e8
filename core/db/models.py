"""Foundation tables: people, their chat identities, conversation state and events."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, func, literal_column, text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class Tier(StrEnum):
    FREE = "free"
    STARTER = "starter"
    PRO = "pro"
    PREMIUM = "premium"


class User(Base):
    """One creator, however many transports they talk to us through."""

    __tablename__ = "users"
    # Live users by sign-up time (reports, directory); partial on PostgreSQL (0016).
    __table_args__ = (
        Index("ix_users_live_created", "created_at", postgresql_where=text("deleted_at IS NULL")),
        # Full-text search of names on PostgreSQL only (0016 creates it there; Alembic's
        # comparison skips expression indexes on SQLite, which has no to_tsvector).
        Index("ix_users_display_name_fts",
              func.to_tsvector(literal_column("'simple'"), func.coalesce(text("display_name"),
                                                                         literal_column("''"))),
              postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(128))
    tier: Mapped[str] = mapped_column(String(16), default=Tier.FREE.value)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    language: Mapped[str | None] = mapped_column(String(16))
    adult_confirmed_at: Mapped[datetime | None]
    nsfw_enabled: Mapped[bool] = mapped_column(default=False)
    onboarded_at: Mapped[datetime | None]
    # Where notices go first: the chat transport the creator last worked on a post from.
    notify_via: Mapped[str | None] = mapped_column(String(16))
    # "transport:community id" whose announcement channel gets this creator's "posted"
    # news instead of a private message (a Discord server they chose); None: privately.
    announce_in: Mapped[str | None] = mapped_column(String(96))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    @property
    def may_see_nsfw(self) -> bool:
        """NSFW only after an explicit 18+ confirmation *and* opting in."""
        return self.adult_confirmed_at is not None and self.nsfw_enabled


class Identity(Base):
    """A user's account on one transport (telegram, discord, web, console)."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("transport", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    transport: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]


class ConversationState(Base):
    """Where a user is inside a flow, per chat. Lives in the database so a restart or a
    second process picks the wizard up exactly where the user left it.

    `version` is the mapper's optimistic lock: every UPDATE says `WHERE version = <the
    version we loaded>` and bumps it, so of two updates handled at once (a double tap,
    two processes) only the first to commit wins; the other gets `StaleDataError`.
    """

    __tablename__ = "conversation_states"
    __table_args__ = (UniqueConstraint("transport", "chat_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transport: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    flow: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's hook)


class Event(Base):
    """Append-only product events (sign-ups, refusals, posts). Archived, never dropped."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_kind_created", "kind", "created_at"),
        Index("ix_events_created_user", "created_at", "user_id"),  # active users (0016)
        Index("ix_events_data", "data", postgresql_using="gin",
              postgresql_ops={"data": "jsonb_path_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    # Where it came from (core.events.Origin): the transport and the chat or web session.
    transport: Mapped[str | None] = mapped_column(String(16))
    session_id: Mapped[str | None] = mapped_column(String(64))
