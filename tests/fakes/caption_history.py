"""Many captions for one creator, written straight into the caption tables: the history
page's paging needs more than the daily caption quota lets the chat generate."""

from __future__ import annotations

from datetime import timedelta

from core.bootstrap import Core
from core.captions.models import CaptionBatchRecord, CaptionOptionRecord


async def seed_captions(core: Core, user_id: int, count: int, label: str = "Caption") -> None:
    """`count` captions titled "<label> 1" (oldest) .. "<label> <count>" (newest)."""
    start = core.clock.now() - timedelta(minutes=count)
    async with core.db.session() as session:
        for n in range(1, count + 1):
            when = start + timedelta(minutes=n)
            batch = CaptionBatchRecord(
                user_id=user_id, platform="console", subreddit="selfie", tone="playful",
                style="short", provider="seed", brief={}, created_at=when)
            session.add(batch)
            await session.flush()
            session.add(CaptionOptionRecord(
                batch_id=batch.id, user_id=user_id, position=0, title=f"{label} {n}",
                body=None, hashtags=[], fingerprint=f"{label}-{n}"[:32], created_at=when))
            await session.flush()
