"""Database access for captions, all inside the caller's unit of work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.captions.models import CaptionBatchRecord, CaptionOptionRecord, CaptionVoiceRecord
from core.captions.textutil import fingerprint
from core.captions.types import CaptionBrief, CaptionOption, DraftOption, Platform, Voice

HISTORY_SIZE = 500


async def recent(
    session: AsyncSession, user_id: int, limit: int = HISTORY_SIZE
) -> list[tuple[str, str]]:
    """(fingerprint, title) of the user's most recent options, newest first."""
    stmt = (
        select(CaptionOptionRecord.fingerprint, CaptionOptionRecord.title)
        .where(CaptionOptionRecord.user_id == user_id)
        .order_by(CaptionOptionRecord.id.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in await session.execute(stmt)]


async def save_batch(
    session: AsyncSession,
    user_id: int,
    brief: CaptionBrief,
    provider: str,
    degraded: bool,
    options: list[DraftOption],
    now: datetime,
) -> tuple[int, list[CaptionOption]]:
    batch = CaptionBatchRecord(
        user_id=user_id, platform=brief.platform.value, subreddit=brief.subreddit,
        tone=brief.tone, style=brief.style, nsfw=brief.nsfw, provider=provider,
        degraded=degraded, brief=brief.to_dict(), created_at=now,
    )
    session.add(batch)
    await session.flush()
    rows = [
        CaptionOptionRecord(
            batch_id=batch.id, user_id=user_id, position=index, title=option.title,
            body=option.body, hashtags=list(option.hashtags),
            fingerprint=fingerprint(option.title), created_at=now,
        )
        for index, option in enumerate(options)
    ]
    session.add_all(rows)
    await session.flush()
    return batch.id, [_option(row, batch) for row in rows]


def _option(row: CaptionOptionRecord, batch: CaptionBatchRecord) -> CaptionOption:
    return CaptionOption(
        title=row.title, body=row.body, hashtags=tuple(row.hashtags or ()), id=row.id,
        platform=Platform(batch.platform), subreddit=batch.subreddit, nsfw=batch.nsfw,
    )


async def _load(
    session: AsyncSession, option_id: int, user_id: int
) -> tuple[CaptionOptionRecord, CaptionBatchRecord] | None:
    stmt = (
        select(CaptionOptionRecord, CaptionBatchRecord)
        .join(CaptionBatchRecord, CaptionBatchRecord.id == CaptionOptionRecord.batch_id)
        .where(CaptionOptionRecord.id == option_id, CaptionOptionRecord.user_id == user_id)
    )
    row = (await session.execute(stmt)).first()
    return (row[0], row[1]) if row else None


async def get_option(session: AsyncSession, option_id: int, user_id: int) -> CaptionOption | None:
    """One stored option, only if it belongs to `user_id` (ids travel in buttons)."""
    found = await _load(session, option_id, user_id)
    return _option(*found) if found else None


async def mark_used(
    session: AsyncSession, option_id: int, user_id: int, now: datetime
) -> CaptionOption | None:
    found = await _load(session, option_id, user_id)
    if found is None:
        return None
    found[0].used_at = now
    return _option(*found)


async def batches_since(session: AsyncSession, user_id: int, since: datetime) -> int:
    stmt = select(func.count()).select_from(CaptionBatchRecord).where(
        CaptionBatchRecord.user_id == user_id, CaptionBatchRecord.created_at >= since
    )
    return int(await session.scalar(stmt) or 0)


async def load_voice(session: AsyncSession, user_id: int) -> Voice:
    row = await session.get(CaptionVoiceRecord, user_id)
    if row is None:
        return Voice()
    return Voice(
        preferred_tone=row.preferred_tone, emoji_budget=row.emoji_budget,
        avoid_phrases=tuple(row.avoid_phrases or ()), banned_words=tuple(row.banned_words or ()),
        promo_link=row.promo_link,
    )


async def save_voice(session: AsyncSession, user_id: int, voice: Voice, now: datetime) -> None:
    row = await session.get(CaptionVoiceRecord, user_id)
    if row is None:
        row = CaptionVoiceRecord(user_id=user_id, updated_at=now)
        session.add(row)
    row.preferred_tone = voice.preferred_tone
    row.emoji_budget = voice.emoji_budget
    row.avoid_phrases = list(voice.avoid_phrases)
    row.banned_words = list(voice.banned_words)
    row.promo_link = voice.promo_link
    row.updated_at = now
    await session.flush()
