"""Communities (a Discord server, later a Telegram group): where their news goes.

A community's admin picks one channel for post announcements ("@alice posted to
r/EarthPorn"). The choice lives here, in core, so the notifier that delivers the
outbox can find it without importing any chat adapter. One row per community and
transport; setting it again moves it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class AnnouncementChannel(Base):
    __tablename__ = "announcement_channels"

    transport: Mapped[str] = mapped_column(String(16), primary_key=True)
    community_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64))
    set_by: Mapped[str] = mapped_column(String(64))  # the admin's id on that transport
    updated_at: Mapped[datetime]


async def set_announcement_channel(
    session: AsyncSession, transport: str, community_id: str, channel_id: str,
    set_by: str, now: datetime,
) -> None:
    """Announce `community_id`'s posts in `channel_id` from now on."""
    row = await session.get(AnnouncementChannel, (transport, community_id))
    if row is None:
        row = AnnouncementChannel(transport=transport, community_id=community_id)
        session.add(row)
    row.channel_id, row.set_by, row.updated_at = channel_id, set_by, now


async def announcement_channel(
    session: AsyncSession, transport: str, community_id: str
) -> str | None:
    """The channel `community_id` chose for announcements, if any."""
    return await session.scalar(
        select(AnnouncementChannel.channel_id).where(
            AnnouncementChannel.transport == transport,
            AnnouncementChannel.community_id == community_id))
