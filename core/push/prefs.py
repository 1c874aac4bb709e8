"""Which notices a creator wants, and where: posted, failed and removed, each to the
chat and/or to push. One row per creator, shared by the web settings page and the
chat; no row means "everything, everywhere". Other notices (paused, waiting, billing)
always go to the chat: they ask the creator to act.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.push.models import NoticePreferences, PushSubscription

CHAT, PUSH = "chat", "push"
ROUTES = (CHAT, PUSH)
TOPICS = ("posted", "failed", "removed")
# Outbox notice kind -> the topic a creator chooses for.
TOPIC_OF = {"post_live": "posted", "post_failed": "failed", "post_removed": "removed",
            "post_restored": "removed"}  # back up: news about the same removal


@dataclass(frozen=True)
class NoticePrefs:
    posted_chat: bool = True
    posted_push: bool = True
    failed_chat: bool = True
    failed_push: bool = True
    removed_chat: bool = True
    removed_push: bool = True

    def wants(self, topic: str, route: str) -> bool:
        return bool(getattr(self, f"{topic}_{route}"))

    def with_choice(self, topic: str, route: str, on: bool) -> NoticePrefs:
        if topic not in TOPICS or route not in ROUTES:
            raise ValueError(f"unknown notice choice {topic}/{route}")
        return replace(self, **{f"{topic}_{route}": on})


async def load(session: AsyncSession, user_id: int) -> NoticePrefs:
    row = await session.get(NoticePreferences, user_id)
    if row is None:
        return NoticePrefs()
    return NoticePrefs(**{name: getattr(row, name) for name in asdict(NoticePrefs())})


async def save(session: AsyncSession, user_id: int, prefs: NoticePrefs, now: datetime) -> None:
    row = await session.get(NoticePreferences, user_id)
    if row is None:
        row = NoticePreferences(user_id=user_id)
        session.add(row)
    for name, value in asdict(prefs).items():
        setattr(row, name, value)
    row.updated_at = now
    await session.flush()


async def routes_for(session: AsyncSession, user_id: int, kind: str) -> tuple[str, ...]:
    """Where a notice of `kind` goes for this creator: the chat unless they turned it
    off, push when they want it and at least one browser is subscribed."""
    topic = TOPIC_OF.get(kind)
    if topic is None:
        return (CHAT,)
    prefs = await load(session, user_id)
    routes = [CHAT] if prefs.wants(topic, CHAT) else []
    if prefs.wants(topic, PUSH) and await session.scalar(select(exists().where(
            PushSubscription.user_id == user_id))):
        routes.append(PUSH)
    return tuple(routes)
