"""The rate limiter check: three hits on a two-per-minute budget in the storage the
web companion uses (`limits`, moving window; process memory, or Redis when `[redis]
url` is set; the same key prefix as web.ratelimit), which must allow two and refuse
the third. Core cannot import web, so the storage is built here the same way."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from core.ops.checks import Result, fail, ok

if TYPE_CHECKING:
    from core.settings import Settings


def _storage(settings: Settings) -> Any:
    from limits.aio.storage import MemoryStorage, RedisStorage

    url = settings.redis.url
    if not url:
        return MemoryStorage()
    uri = "async+redis+" + url if url.startswith("unix://") else "async+" + url
    return RedisStorage(uri, implementation="redispy", wrap_exceptions=True,
                        key_prefix=f"{settings.redis.key_prefix}:ratelimit")


async def _close(storage: Any) -> None:
    timer = getattr(storage, "timer", None)
    if timer is not None and not timer.done():
        timer.cancel()
    bridge = getattr(storage, "bridge", None)
    if bridge is not None:
        await bridge.get_connection().aclose()


async def probe_limiter(settings: Settings) -> Result:
    from limits import RateLimitItemPerMinute
    from limits.aio.strategies import MovingWindowRateLimiter
    from limits.errors import StorageError

    storage = _storage(settings)
    where = "Redis" if settings.redis.url else "process memory"
    item, key = RateLimitItemPerMinute(2), f"check:{secrets.token_hex(8)}"
    try:
        limiter = MovingWindowRateLimiter(storage)
        hits = [await limiter.hit(item, key) for _ in range(3)]
        await limiter.clear(item, key)
    except StorageError as exc:
        return fail(f"its storage ({where}) does not answer: {type(exc.storage_error).__name__}"
                    "; requests would go through unlimited",
                    "is Redis running, and is [redis] url right?")
    finally:
        await _close(storage)
    if hits != [True, True, False]:
        return fail(f"a 2-per-minute budget allowed {sum(hits)} of 3 hits ({where})",
                    "report this: the limiter is not limiting")
    return ok(f"limits requests ({where}: 2 of 3 test hits allowed)")
