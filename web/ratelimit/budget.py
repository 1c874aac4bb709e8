"""Per-minute request budgets on the `limits` library (moving window).

A moving window counts the requests of the last 60 s, so a burst across a minute
boundary cannot get twice the budget (a fixed window allows that). The storage is
process memory by default and Redis when `[redis] url` is set, so every web process of
a deployment draws on one budget per key. The limit's size is part of the library's
key: a user whose plan changes starts on the new plan's budget at once.

If Redis cannot be reached the request is let through and the failure logged:
rate limiting protects the service, and a Redis outage should not take it down.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    retry_after: int = 0  # whole seconds until a request would be allowed again


def storage_uri(redis_url: str) -> str:
    """`limits`' spelling of a redis-py URL (its async schemes start with async+)."""
    if redis_url.startswith("unix://"):
        return "async+redis+" + redis_url
    return "async+" + redis_url


class RequestBudget:
    def __init__(self, settings: Settings) -> None:
        from limits.aio.storage import MemoryStorage, RedisStorage
        from limits.aio.strategies import MovingWindowRateLimiter

        self._storage: Any
        if settings.redis.url:
            self._storage = RedisStorage(
                storage_uri(settings.redis.url), implementation="redispy",
                key_prefix=f"{settings.redis.key_prefix}:ratelimit", wrap_exceptions=True)
        else:
            self._storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._items: dict[int, Any] = {}

    def _item(self, per_minute: int) -> Any:
        item = self._items.get(per_minute)
        if item is None:
            from limits import RateLimitItemPerMinute

            item = self._items[per_minute] = RateLimitItemPerMinute(per_minute)
        return item

    async def hit(self, key: str, per_minute: int) -> Verdict:
        """Take one request from `key`'s budget, or say how long until there is room."""
        from limits.errors import StorageError

        item = self._item(per_minute)
        try:
            if await self._limiter.hit(item, key):
                return Verdict(True, per_minute)
            stats = await self._limiter.get_window_stats(item, key)
        except StorageError as exc:
            log.warning("rate limit storage unavailable, request allowed: %s",
                        exc.__class__.__name__)
            return Verdict(True, per_minute)
        # The library's window runs on wall time (time.time), so the wait does too.
        wait = math.ceil(stats.reset_time - time.time())
        return Verdict(False, per_minute, retry_after=min(max(wait, 1), 60))

    async def aclose(self) -> None:
        timer = getattr(self._storage, "timer", None)  # memory storage's expiry task
        if timer is not None and not timer.done():
            timer.cancel()
        bridge = getattr(self._storage, "bridge", None)
        if bridge is not None:  # redis-py client of the Redis storage
            await bridge.get_connection().aclose()
