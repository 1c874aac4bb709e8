"""Wait for room in every window of a message, send, and honour a 429's retry-after.

The wait is computed from the fullest window (when its oldest counted message leaves
it), slept on the injected clock, and the place is then taken again: nothing is
reserved ahead, so one chat's long pause never holds up other chats' messages. Waiting
is capped (`max_wait_seconds`): past the cap the message goes anyway, and a 429 it may
earn is handled like any other, so a message is delayed, never dropped.

If the shared store (Redis) cannot be reached the message is sent unthrottled and the
failure logged: a Redis outage must not silence the bot. Telegram's own 429s still
apply: a retry-after no store could keep is waited out by the sender itself.

A store that is this process's own (`WindowStore.shared` False) is timed on the
monotonic clock, so an NTP step of the wall clock neither holds every message for the
longest wait nor lets a burst through; a shared one is timed on the wall clock, the one
time every host agrees on (store.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from core.outbound.rules import Window
from core.outbound.store import MemoryStore, RedisStore, WindowStore

if TYPE_CHECKING:
    from core.clock import Clock
    from core.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


def _store_failed(exc: Exception) -> bool:
    """Redis unreachable or refusing (redis-py's errors, or the socket's own)."""
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is a dependency
        return isinstance(exc, OSError)
    return isinstance(exc, RedisError | OSError)


class OutboundLimiter:
    def __init__(self, store: WindowStore | None, clock: Clock, *,
                 sleep: Sleep | None = None, max_wait: float = 60.0,
                 retries: int = 3) -> None:
        """`store` None: no limits (`outbound.enabled = false`); `sleep` defaults to
        the clock's own."""
        self._store = store
        self._clock = clock
        self._sleep = sleep or clock.sleep
        self.max_wait = max_wait
        self.retries = retries

    def _now(self) -> float:
        if self._store is not None and not self._store.shared:
            return self._clock.monotonic()
        return self._clock.now().timestamp()

    async def acquire(self, windows: Sequence[Window]) -> float:
        """Count one message in `windows`, first waiting for room; returns the seconds
        waited (never more than `max_wait`)."""
        waited = 0.0
        while self._store is not None and windows:
            try:
                wait = await self._store.take(windows, self._now())
            except Exception as exc:
                if not _store_failed(exc):
                    raise
                log.warning("outbound limit store unavailable, message sent unthrottled: %s",
                            exc.__class__.__name__)
                return waited
            if wait <= 0:
                return waited
            if waited >= self.max_wait:
                log.warning("outbound wait passed %.0f s for %s; sending anyway",
                            self.max_wait, windows[-1].key)
                return waited
            step = min(wait, self.max_wait - waited)
            await self._sleep(step)
            waited += step
        return waited

    async def pause(self, windows: Sequence[Window], seconds: float) -> bool:
        """No message for these windows from anyone for `seconds` (a 429's retry-after).
        False when no store keeps the pause (limits off, the store unreachable): the
        caller must then wait it out itself."""
        if seconds <= 0:
            return True
        if self._store is None:
            return False
        now = self._now()
        try:
            await self._store.pause([w for w in windows if w.pausable], now + seconds, now)
        except Exception as exc:
            if not _store_failed(exc):
                raise
            log.warning("outbound limit store unavailable, this sender waits out the "
                        "retry-after alone: %s", exc.__class__.__name__)
            return False
        return True

    async def send(self, windows: Sequence[Window], call: Callable[[], Awaitable[T]],
                   retry_after: Callable[[Exception], float | None]) -> T:
        """`call()` once there is room; when it fails with a wait `retry_after` reads
        from the error (Telegram's 429), pause the chat for everyone, wait that long and
        try again, up to `retries` times and while the wait is within `max_wait`."""
        attempt = 0
        while True:
            await self.acquire(windows)
            try:
                return await call()
            except Exception as exc:
                wait = retry_after(exc)
                if wait is None or attempt >= self.retries or wait > self.max_wait:
                    raise
                attempt += 1
                log.info("flood wait of %.1f s for %s (try %d)", wait, windows[-1].key,
                         attempt)
                if not await self.pause(windows, wait):  # kept by no store: wait here
                    await self._sleep(wait)

    async def aclose(self) -> None:
        if self._store is not None:
            await self._store.aclose()


def build_limiter(settings: Settings, clock: Clock, sleep: Sleep | None = None
                  ) -> OutboundLimiter:
    """The limiter this deployment uses: Redis when configured, else this process."""
    section = settings.outbound
    store: WindowStore | None = None
    if section.enabled:
        store = (RedisStore(settings.redis.url, settings.redis.key_prefix)
                 if settings.redis.url else MemoryStore())
    return OutboundLimiter(store, clock, sleep=sleep, max_wait=section.max_wait_seconds,
                           retries=section.retry_attempts)
