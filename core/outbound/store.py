"""Where the windows live: this process's memory, or Redis shared by every process.

Both keep, per key, the times of its newest `limit` messages and a "paused until"
moment. `take` is all-or-nothing over several windows: if every window has room the
message is counted in all of them, else nothing is counted and the answer is how long
until the fullest one has room. Counting in one window but not another would let a
burst through (or waste places), so Redis does it in one script.

Times come from the caller (core.outbound.limiter): for Redis, wall-clock seconds, as
processes on NTP-synchronised hosts agree to a few milliseconds, far below the windows'
size; for memory, the process's monotonic clock, which no clock step moves.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any, Protocol

from core.outbound.rules import Window

PRUNE_AT = 10_000  # memory: forget idle chats' windows once this many keys are kept


class WindowStore(Protocol):
    # True: several processes share it, so it is timed on the wall clock they agree on
    shared: bool

    async def take(self, windows: Sequence[Window], now: float) -> float:
        """0.0 if the message was counted in every window, else seconds to wait."""
        ...

    async def pause(self, windows: Sequence[Window], until: float, now: float) -> None:
        """No window of `windows` has room before `until` (a 429's retry-after)."""
        ...

    async def aclose(self) -> None: ...


class MemoryStore:
    shared = False

    def __init__(self) -> None:
        self._sent: dict[str, deque[float]] = {}
        self._paused: dict[str, float] = {}
        self._seconds: dict[str, float] = {}  # each key's window length

    async def take(self, windows: Sequence[Window], now: float) -> float:
        wait = 0.0
        for w in windows:
            wait = max(wait, self._paused.get(w.key, 0.0) - now)
            sent = self._sent.get(w.key)
            if sent is not None and len(sent) >= w.limit:
                wait = max(wait, sent[-w.limit] + w.seconds - now)
        if wait > 0:
            return wait
        if len(self._sent) > PRUNE_AT:
            self._prune(now)
        for w in windows:
            self._seconds[w.key] = w.seconds
            sent = self._sent.get(w.key)
            if sent is None or sent.maxlen != w.limit:
                sent = self._sent[w.key] = deque(sent or (), maxlen=w.limit)
            sent.append(now)
        return 0.0

    async def pause(self, windows: Sequence[Window], until: float, now: float) -> None:
        for w in windows:
            self._paused[w.key] = max(self._paused.get(w.key, 0.0), until)

    def _prune(self, now: float) -> None:
        # a window whose newest message has left it has room, whatever its limit:
        # forgetting it changes nothing
        self._sent = {k: v for k, v in self._sent.items()
                      if v and v[-1] > now - self._seconds.get(k, 0.0)}
        self._seconds = {k: v for k, v in self._seconds.items() if k in self._sent}
        self._paused = {k: v for k, v in self._paused.items() if v > now}

    async def aclose(self) -> None:
        self._sent.clear()
        self._seconds.clear()
        self._paused.clear()


# KEYS: per window its list (newest first) and its pause key; ARGV: now, then per
# window limit and seconds. Returns "0" when counted, else the wait in seconds.
TAKE = """
local now = tonumber(ARGV[1])
local n = #KEYS / 2
local wait = 0
for i = 1, n do
  local limit = tonumber(ARGV[2 * i])
  local period = tonumber(ARGV[2 * i + 1])
  local paused = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  if paused - now > wait then wait = paused - now end
  local oldest = redis.call('LINDEX', KEYS[2 * i - 1], limit - 1)
  if oldest and tonumber(oldest) + period - now > wait then
    wait = tonumber(oldest) + period - now
  end
end
if wait > 0 then return tostring(wait) end
for i = 1, n do
  local limit = tonumber(ARGV[2 * i])
  local period = tonumber(ARGV[2 * i + 1])
  redis.call('LPUSH', KEYS[2 * i - 1], ARGV[1])
  redis.call('LTRIM', KEYS[2 * i - 1], 0, limit - 1)
  redis.call('PEXPIRE', KEYS[2 * i - 1], math.ceil(period * 1000) + 1000)
end
return '0'
"""

# KEYS: pause keys; ARGV: until, milliseconds to keep the key. Only ever extends.
PAUSE = """
for i = 1, #KEYS do
  local current = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tonumber(ARGV[1]) > current then
    redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
  end
end
return 0
"""


class RedisStore:
    """Keys `<prefix>:outbound:<window key>` (+ `:pause`), expired by Redis itself."""

    shared = True

    def __init__(self, url: str, prefix: str) -> None:
        import redis.asyncio as redis  # only deployments with Redis load the client

        self._client: Any = redis.Redis.from_url(url)
        self._prefix = f"{prefix}:outbound:"
        self._take = self._client.register_script(TAKE)
        self._pause = self._client.register_script(PAUSE)

    async def take(self, windows: Sequence[Window], now: float) -> float:
        keys: list[str] = []
        args: list[str] = [repr(now)]
        for w in windows:
            keys += [self._prefix + w.key, self._prefix + w.key + ":pause"]
            args += [str(w.limit), repr(w.seconds)]
        return float(await self._take(keys=keys, args=args))

    async def pause(self, windows: Sequence[Window], until: float, now: float) -> None:
        keys = [self._prefix + w.key + ":pause" for w in windows]
        if keys:
            keep_ms = max(int((until - now) * 1000), 0) + 60_000
            await self._pause(keys=keys, args=[repr(until), str(keep_ms)])

    async def aclose(self) -> None:
        await self._client.aclose()
