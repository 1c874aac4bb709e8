"""The `inbound_updates` table: chat updates made durable before they are acknowledged.

One row per update a chat platform delivered, unique by (transport, bot id, update id),
so a redelivery (Telegram retries a webhook it thinks failed, polling re-fetches after a
restart) is recognised and never processed twice. The raw payload is kept as received:
the consumer parses it again when it processes the row, so the row alone is enough to
recover after a crash.

`status` moves pending -> running (claimed by process `claimed_by` until `lease_until`)
-> done, or failed for an update that could not be processed however often it was tried.
A running row whose lease ran out belonged to a process that died (or could not renew
it): it is claimable again, by anyone, itself included. Each claim sets a fresh
`claim_token`, and every later write about the row (renew, finish, hand back) must name
it: a claim that was lost and taken again can never mark what the new one does.
A pending row with a `lease_until` was handed back for another try (core.inbox.retry)
and is claimable from that time on; `retries` counts those hand-backs, so they end.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class Status:
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    OPEN = (PENDING, RUNNING)


class InboundUpdate(Base):
    __tablename__ = "inbound_updates"
    __table_args__ = (
        UniqueConstraint("transport", "bot_id", "update_id",
                         name="uq_inbound_updates_transport_bot_update"),
        # the claim looks for open rows of one bot, oldest first ...
        Index("ix_inbound_updates_open", "transport", "bot_id", "status", "id"),
        # ... and, per candidate, for an older open row of the same chat
        Index("ix_inbound_updates_chat", "transport", "bot_id", "chat_key", "update_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transport: Mapped[str] = mapped_column(String(16))
    bot_id: Mapped[str] = mapped_column(String(64))
    update_id: Mapped[int] = mapped_column(BigInteger)
    # None: the update belongs to no chat, so it waits for nothing and nothing waits for it
    chat_key: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default=Status.PENDING)
    received_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(default=0)
    retries: Mapped[int] = mapped_column(default=0, server_default="0")
    processed_at: Mapped[datetime | None]
