"""Who may see the founders' pages (analytics, experiments, support replies).

Admins are configured by Telegram id (`[admin] telegram_ids`) and sign in like everyone
else; being an admin is decided per request from the user's linked identities, so a
Telegram account linked to a Discord or web user makes that one account an admin.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Identity
from core.settings import Settings


async def is_admin(session: AsyncSession, settings: Settings, user_id: int) -> bool:
    """True when one of the user's Telegram identities is a configured admin id."""
    ids = {str(i) for i in settings.admin.telegram_ids}
    if not ids:
        return False
    found = await session.scalar(
        select(Identity.id).where(Identity.user_id == user_id,
                                  Identity.transport == "telegram",
                                  Identity.external_id.in_(ids)).limit(1))
    return found is not None
