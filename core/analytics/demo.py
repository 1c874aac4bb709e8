"""Demo data for the dashboard: creators who signed up over the last weeks, went some
way down the funnel, came back now and then, and some of whom pay.

Deterministic for a seed, marked as demo (identities on the "demo" transport, events
with `demo: true`), and seeded once: a second run changes nothing. Never run it on a
production database; `thottopilot demo-data` asks for an explicit flag.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from core.billing.models import Entitlement
from core.db.database import Database
from core.db.models import Event, Identity, User
from core.events import EventKind as K

TRANSPORT = "demo"
FEATURES = ("caption", "caption", "caption", "protect", "post", "schedule", "voice")
PAID = (("stripe", "starter"), ("stripe", "pro"), ("stars", "starter"), ("stripe", "premium"))


@dataclass(frozen=True)
class Seeded:
    users: int
    events: int
    paying: int


class _Story:
    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng, self.now = rng, now
        self.events: list[dict[str, Any]] = []

    def add(self, uid: int, kind: K, when: datetime, **data: Any) -> None:
        if when <= self.now:
            self.events.append({"user_id": uid, "kind": kind.value, "created_at": when,
                                "data": {"demo": True, **data}, "transport": TRANSPORT})

    def creator(self, uid: int, signed: datetime) -> tuple[bool, bool]:
        """One creator's history; returns (onboarded, paying-eligible)."""
        rng, at = self.rng, signed
        self.add(uid, K.SIGNUP, at, transport=TRANSPORT)
        self.add(uid, K.SIGNUP_SOURCE, at, source=rng.choice(("direct",) * 3 + ("referral",
                                                                                 "demo")))
        onboarded = rng.random() < 0.7
        if onboarded:
            self.add(uid, K.ONBOARDING_COMPLETED, at + timedelta(minutes=8))
        posted = False
        if onboarded and rng.random() < 0.8:
            self.add(uid, K.CAPTION_GENERATED, at + timedelta(minutes=10), platform="reddit",
                     tone=rng.choice(("playful", "warm", "bold")), provider="offline")
            posted = rng.random() < 0.55
            if posted:
                self.add(uid, K.POSTED, at + timedelta(hours=rng.randint(1, 48)))
        stay = rng.choice((0.05, 0.2, 0.45))  # how often they come back
        day = at
        while day < self.now:
            day += timedelta(days=1)
            if rng.random() < stay:
                self.add(uid, K.FEATURE_USED, day + timedelta(hours=rng.randint(0, 20)),
                         feature=rng.choice(FEATURES))
            stay *= 0.97
        return onboarded, posted


async def seed_demo(db: Database, now: datetime, *, users: int = 80, weeks: int = 8,
                    seed: int = 15) -> Seeded | None:
    """Seed the demo history (None: it is there already)."""
    async with db.session() as session:
        if await session.scalar(select(Identity.id).where(Identity.transport == TRANSPORT)):
            return None
        rng = random.Random(seed)  # noqa: S311 (made-up data, reproducible by seed)
        story = _Story(rng, now)
        paying = 0
        for n in range(1, users + 1):
            signed = now - timedelta(days=rng.random() * weeks * 7)
            user = User(display_name=f"Demo creator {n}", created_at=signed, updated_at=signed)
            session.add(user)
            await session.flush()
            session.add(Identity(user_id=user.id, transport=TRANSPORT, external_id=f"demo-{n}",
                                 created_at=signed))
            onboarded, posted = story.creator(user.id, signed)
            if onboarded:
                user.onboarded_at = signed + timedelta(minutes=8)
            if posted and rng.random() < 0.45:
                source, tier = rng.choice(PAID)
                starts = signed + timedelta(days=rng.randint(0, 5))
                ends = starts + timedelta(days=rng.randint(20, 60)) if rng.random() < 0.3 \
                    else None
                live = starts <= now and (ends is None or ends > now)
                paying += live
                session.add(Entitlement(
                    user_id=user.id, source=source, source_ref=f"demo-{n}", tier=tier,
                    status="active" if live else "ended", starts_at=starts, ends_at=ends,
                    data={"demo": True}, updated_at=now))
                story.add(user.id, K.SUBSCRIPTION_STARTED, starts, tier=tier, source=source)
        if story.events:
            await session.execute(insert(Event), story.events)
        return Seeded(users=users, events=len(story.events), paying=paying)
