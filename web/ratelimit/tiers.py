"""A user's tier, as the rate limiter needs it on every signed-in request.

Read from `users.tier` (kept current by core.billing.grants on every grant, refund
and metered action) and kept for `ratelimit.tier_cache_seconds` on the clock's
monotonic time, so most requests cost no extra query. A change made in this process's
own billing paths shows within that time; other processes (CLI, worker) make it show
at once with a signed `plan_changed` call to /internal/notify, which calls `forget`.
"""

from __future__ import annotations

from sqlalchemy import select

from core.clock import Clock
from core.db.database import Database
from core.db.models import User

MAX_ENTRIES = 10_000


class TierCache:
    def __init__(self, db: Database, clock: Clock, ttl_seconds: float,
                 max_entries: int = MAX_ENTRIES) -> None:
        self._db = db
        self._clock = clock
        self._ttl = ttl_seconds
        self._max = max_entries
        self._entries: dict[int, tuple[str, float]] = {}

    async def tier_of(self, user_id: int) -> str:
        now = self._clock.monotonic()
        cached = self._entries.get(user_id)
        if cached is not None and cached[1] > now:
            return cached[0]
        async with self._db.read() as session:
            tier = await session.scalar(select(User.tier).where(User.id == user_id))
        tier = tier or "free"
        if self._ttl > 0:
            if len(self._entries) >= self._max:
                self._entries = {k: v for k, v in self._entries.items() if v[1] > now}
                if len(self._entries) >= self._max:
                    self._entries.clear()
            self._entries[user_id] = (tier, now + self._ttl)
        return tier

    def forget(self, user_id: int) -> None:
        self._entries.pop(user_id, None)
