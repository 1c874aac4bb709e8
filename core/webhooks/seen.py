"""Which signed-call ids were already accepted: the replay guard of core.webhooks.

In process memory by default (one process); in Redis when `[redis] url` is set, so a
call accepted by one web process is refused by every other (SET NX with an expiry:
one atomic step, no read-then-write race between processes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from core.clock import Clock

if TYPE_CHECKING:
    from core.settings import Settings

MAX_MEMORY_IDS = 100_000


class SeenIds(Protocol):
    async def first_time(self, call_id: str, ttl_seconds: float) -> bool:
        """Record `call_id` for `ttl_seconds`; False if it was already recorded."""
        ...

    async def aclose(self) -> None: ...


class MemorySeenIds:
    """Ids with their expiry on the clock's monotonic time; bounded in size."""

    def __init__(self, clock: Clock, max_ids: int = MAX_MEMORY_IDS) -> None:
        self._clock = clock
        self._max = max_ids
        self._expiry: dict[str, float] = {}

    async def first_time(self, call_id: str, ttl_seconds: float) -> bool:
        now = self._clock.monotonic()
        expires = self._expiry.get(call_id)
        if expires is not None and expires > now:
            return False
        if len(self._expiry) >= self._max:
            self._prune(now)
        self._expiry[call_id] = now + ttl_seconds
        return True

    def _prune(self, now: float) -> None:
        self._expiry = {k: v for k, v in self._expiry.items() if v > now}
        while len(self._expiry) >= self._max:  # all live: forget the oldest first
            del self._expiry[next(iter(self._expiry))]

    async def aclose(self) -> None:
        self._expiry.clear()


class RedisSeenIds:
    """Ids as keys `<prefix>:seen:<namespace>:<id>` that Redis expires by itself."""

    def __init__(self, url: str, prefix: str, namespace: str) -> None:
        import redis.asyncio as redis  # only deployments with Redis load the client

        self._client: Any = redis.Redis.from_url(url)
        self._prefix = f"{prefix}:seen:{namespace}:"

    async def first_time(self, call_id: str, ttl_seconds: float) -> bool:
        ttl_ms = max(int(ttl_seconds * 1000), 1)
        return bool(await self._client.set(self._prefix + call_id, b"1", nx=True, px=ttl_ms))

    async def aclose(self) -> None:
        await self._client.aclose()


def seen_ids(settings: Settings, clock: Clock, namespace: str) -> SeenIds:
    """The store this deployment uses: Redis when configured, else this process."""
    if settings.redis.url:
        return RedisSeenIds(settings.redis.url, settings.redis.key_prefix, namespace)
    return MemorySeenIds(clock)
