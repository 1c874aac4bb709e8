"""Tables for /support: a ticket, its messages (the creator's and the team's answers),
and where each message was shown to the team (so a reply to it finds its ticket)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class SupportTicket(Base):
    """One conversation with the team, started by a creator's /support message. The
    answer goes back to the transport and chat the creator wrote from."""

    __tablename__ = "support_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    transport: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | answered
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SupportMessage(Base):
    """One message of a ticket: the creator's (author "user") or an admin's ("team")."""

    __tablename__ = "support_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("support_tickets.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(8))  # user | team
    # The writer: the creator, or the admin who answered (kept if they leave).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class SupportForward(Base):
    """A creator's message as shown in a team chat: (chat, message id) -> ticket, so an
    admin's reply to that message is an answer to the ticket."""

    __tablename__ = "support_forwards"
    __table_args__ = (UniqueConstraint("chat_id", "message_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("support_tickets.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[str] = mapped_column(String(64))
    message_ref: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
