"""The fallback chain: configured providers in order, then offline, always.

Each provider is tried through `core.retry`: transient failures (timeout, 429, 5xx)
are retried with full-jitter backoff, honouring `Retry-After`; refusals, bad output and
misconfiguration move on at once. Everything shares one time budget, so a creator
waits at most `total_budget` seconds before the offline writer answers. The clock
(sleep, monotonic time, deadlines) and the randomness are injected, so tests run the
whole story on a fake clock without waiting.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass

from core.captions.providers.base import Job, Provider, ProviderError, ProviderTimeout
from core.captions.providers.offline import OfflineProvider
from core.captions.types import DraftOption
from core.clock import Clock, SystemClock
from core.retry import (
    GIVE_UP,
    RETRY,
    Attempt,
    AttemptTimedOut,
    Backoff,
    BudgetExhausted,
    GiveUp,
    RetryEvent,
    RetryPolicy,
    Stop,
    Verdict,
    retry,
    retry_after,
)

log = logging.getLogger(__name__)

_MIN_ATTEMPT = 0.05  # seconds; below this an attempt cannot succeed, go offline


@dataclass(frozen=True)
class ChainResult:
    options: list[DraftOption]
    provider: str
    degraded: bool
    attempts: tuple[str, ...]


def classify(error: Exception) -> Verdict:
    """A provider's own verdict (`retryable`, `retry_after`); a cut attempt is retried."""
    if isinstance(error, ProviderError):
        return retry_after(error.retry_after) if error.retryable else GIVE_UP
    return RETRY if isinstance(error, AttemptTimedOut) else GIVE_UP


def _reason(error: Exception) -> str:
    if isinstance(error, ProviderError):
        return error.reason
    return ProviderTimeout.reason if isinstance(error, TimeoutError) else ProviderError.reason


class ProviderChain:
    def __init__(
        self,
        providers: Sequence[Provider],
        *,
        timeout: float,
        max_retries: int,
        total_budget: float,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self.providers = [p for p in providers if p.name != "offline"]
        self.offline = OfflineProvider()
        self.timeout = timeout
        self.max_retries = max_retries
        self.total_budget = total_budget
        self._clock: Clock = clock or SystemClock()
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        # Hard bound on a whole attempt: a re-ask is a second request of `timeout`.
        self._policy = RetryPolicy(
            max_attempts=max_retries + 1,
            attempt_timeout=timeout * 2,
            min_attempt_time=_MIN_ATTEMPT,
            backoff=backoff or Backoff(),
        )


    def order(self, nsfw: bool) -> list[Provider]:
        """NSFW jobs go to NSFW-capable routes first: mainstream models would refuse."""
        if not nsfw:
            return list(self.providers)
        return sorted(self.providers, key=lambda p: not p.nsfw_capable)

    @property
    def primary(self) -> str:
        return self.providers[0].name if self.providers else self.offline.name

    async def run(self, job: Job) -> ChainResult:
        deadline = self._clock.monotonic() + self.total_budget
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
        name = provider.name

        async def attempt(this: Attempt) -> list[DraftOption]:
            limit = self.timeout if this.time_limit is None else min(self.timeout, this.time_limit)
            try:
                return await provider.generate(job, limit)
            except ProviderError:
                raise
            except TimeoutError as exc:
                raise ProviderTimeout(f"{name}: timed out") from exc
            except Exception as exc:  # a provider bug must not leave a creator empty-handed
                log.exception("caption provider %s crashed", name)
                raise ProviderError(f"{name}: {type(exc).__name__}") from exc

        def failed(error: Exception) -> None:
            attempts.append(f"{name}:{_reason(error)}")
            log.warning("caption provider %s failed: %s", name, error)

        def on_retry(event: RetryEvent) -> None:
            failed(event.error)

        def on_give_up(end: GiveUp) -> None:
            failed(end.error)
            if end.reason is Stop.BUDGET:
                attempts.append(f"{name}:no_time")

        try:
            options = await retry(
                attempt, policy=self._policy, classify=classify, clock=self._clock,
                rng=self._rng, deadline=deadline, on_retry=on_retry, on_give_up=on_give_up,
            )
        except BudgetExhausted:
            attempts.append(f"{name}:no_time")
            return []
        except Exception:  # already recorded by the hooks; the next provider answers
            return []
        attempts.append(f"{name}:ok")
        return options

    async def aclose(self) -> None:
        for provider in self.providers:
            try:
                await provider.aclose()
            except Exception:
                log.exception("closing caption provider %s failed", provider.name)
