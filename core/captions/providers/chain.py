"""The fallback chain: configured providers in order, then offline, always.

Transient failures (timeout, 429, 5xx) are retried with exponential backoff and jitter,
honouring `Retry-After`; refusals, bad output and misconfiguration move on at once.
Everything shares one time budget, so a creator waits at most `total_budget` seconds
before the offline writer answers. Sleep, clock and randomness are injected so tests
run the whole story without waiting.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from core.captions.providers.base import Job, Provider, ProviderError, ProviderTimeout
from core.captions.providers.offline import OfflineProvider
from core.captions.types import DraftOption

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]
_MIN_ATTEMPT = 0.05  # seconds; below this an attempt cannot succeed, go offline


@dataclass(frozen=True)
class ChainResult:
    options: list[DraftOption]
    provider: str
    degraded: bool
    attempts: tuple[str, ...]


@dataclass(frozen=True)
class Backoff:
    base: float = 0.5
    cap: float = 8.0

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None) -> float:
        """Equal jitter: half the exponential step fixed, half random."""
        step = min(self.cap, self.base * (2**attempt))
        delay = step / 2 + rng.uniform(0, step / 2)
        return max(delay, retry_after or 0.0)


class ProviderChain:
    def __init__(
        self,
        providers: Sequence[Provider],
        *,
        timeout: float,
        max_retries: int,
        total_budget: float,
        sleep: Sleep = asyncio.sleep,
        monotonic: Monotonic = time.monotonic,
        rng: random.Random | None = None,
        backoff: Backoff = Backoff(),
    ) -> None:
        self.providers = [p for p in providers if p.name != "offline"]
        self.offline = OfflineProvider()
        self.timeout = timeout
        self.max_retries = max_retries
        self.total_budget = total_budget
        self._sleep = sleep
        self._monotonic = monotonic
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._backoff = backoff

    def order(self, nsfw: bool) -> list[Provider]:
        """NSFW jobs go to NSFW-capable routes first: mainstream models would refuse."""
        if not nsfw:
            return list(self.providers)
        return sorted(self.providers, key=lambda p: not p.nsfw_capable)

    @property
    def primary(self) -> str:
        return self.providers[0].name if self.providers else self.offline.name

    async def run(self, job: Job) -> ChainResult:
        deadline = self._monotonic() + self.total_budget
        attempts: list[str] = []
        ordered = self.order(job.brief.nsfw)
        for provider in ordered:
            options = await self._try(provider, job, deadline, attempts)
            if options:
                degraded = provider is not ordered[0]
                return ChainResult(options, provider.name, degraded, tuple(attempts))
        options = await self.offline.generate(job)
        attempts.append("offline:ok")
        return ChainResult(options, self.offline.name, bool(ordered), tuple(attempts))

    async def _try(
        self, provider: Provider, job: Job, deadline: float, attempts: list[str]
    ) -> list[DraftOption]:
        for attempt in range(self.max_retries + 1):
            remaining = deadline - self._monotonic()
            if remaining < _MIN_ATTEMPT:
                attempts.append(f"{provider.name}:no_time")
                return []
            timeout = min(self.timeout, remaining)
            try:
                # Hard bound on the whole attempt (a re-ask is a second request).
                async with asyncio.timeout(min(timeout * 2, remaining)):
                    options = await provider.generate(job, timeout)
            except TimeoutError:
                error: ProviderError = ProviderTimeout(f"{provider.name}: attempt bound")
            except ProviderError as exc:
                error = exc
            except Exception as exc:  # a provider bug must not leave a creator empty-handed
                log.exception("caption provider %s crashed", provider.name)
                error = ProviderError(f"{provider.name}: {type(exc).__name__}")
            else:
                attempts.append(f"{provider.name}:ok")
                return options
            attempts.append(f"{provider.name}:{error.reason}")
            log.warning("caption provider %s failed: %s", provider.name, error)
            if not error.retryable or attempt == self.max_retries:
                return []
            delay = self._backoff.delay(attempt, self._rng, error.retry_after)
            if self._monotonic() + delay + _MIN_ATTEMPT >= deadline:
                attempts.append(f"{provider.name}:no_time")
                return []
            await self._sleep(delay)
        return []

    async def aclose(self) -> None:
        for provider in self.providers:
            try:
                await provider.aclose()
            except Exception:
                log.exception("closing caption provider %s failed", provider.name)
