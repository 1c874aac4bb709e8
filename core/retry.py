"""One way to retry: exponential backoff with full jitter, a per-error policy, a total
time budget, `Retry-After` honoured, and every wait taken on an injected `Clock`.

Why one helper: caption providers, Reddit submissions (5xx) and the Telegram start-up
all need "try again a little later, but not forever", and each private loop got some
corner wrong (lockstep retries, sleeping past the budget, ignoring Retry-After). Here:

- the caller's `classify(error)` says what an error means: `RETRY`, `GIVE_UP`, or
  `retry_after(seconds)` when the server named a wait;
- the wait before retry n is uniform in [0, min(cap, base * 2**n)] ("full jitter":
  clients that failed together do not come back together), and never shorter than a
  server's Retry-After;
- a budget (or a shared `deadline`) bounds the whole story: an attempt is cut when the
  budget ends, and a wait that would leave no time for another attempt is not slept;
- `attempt_timeout` optionally bounds each attempt, measured on the clock;
- the value is returned, or the last error is raised as it was (a timed-out attempt
  raises `AttemptTimedOut`); `on_retry` / `on_give_up` hooks report progress.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from core.clock import Clock

T = TypeVar("T")
V = TypeVar("V")

_JITTER = random.Random()  # noqa: S311 - jitter, not security


@dataclass(frozen=True)
class Verdict:
    """What `classify` decided about one error."""

    retry: bool
    after: float | None = None  # a wait the server asked for (Retry-After), seconds


RETRY = Verdict(True)
GIVE_UP = Verdict(False)


def retry_after(seconds: float | None) -> Verdict:
    """Retry, but not before `seconds` (None: no wait was named, plain backoff)."""
    return RETRY if seconds is None else Verdict(True, max(float(seconds), 0.0))


Classifier = Callable[[Exception], Verdict]


class AttemptTimedOut(TimeoutError):
    """An attempt ran past its `attempt_timeout` (or the end of the budget)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"attempt cut after {seconds:.3g}s")
        self.seconds = seconds


class BudgetExhausted(TimeoutError):
    """The budget was spent before a first attempt could start."""


class Stop(enum.StrEnum):
    """Why the retries ended without a value."""

    FINAL = "final"  # classify said GIVE_UP
    ATTEMPTS = "attempts"  # max_attempts reached
    BUDGET = "budget"  # no time left for another wait and attempt


@dataclass(frozen=True)
class Backoff:
    base: float = 0.5
    cap: float = 8.0

    def ceiling(self, retry: int) -> float:
        """The longest wait before retry number `retry` (0 for the first retry)."""
        return min(self.cap, self.base * 2.0 ** min(retry, 64))

    def delay(self, retry: int, rng: random.Random) -> float:
        return rng.uniform(0.0, self.ceiling(retry))


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int | None = 3  # None: as many as the budget allows
    budget: float | None = None  # seconds for everything, waits included
    attempt_timeout: float | None = None  # seconds per attempt
    min_attempt_time: float = 0.0  # an attempt with less time left is not started
    backoff: Backoff = Backoff()


@dataclass(frozen=True)
class Attempt:
    number: int  # 1 for the first try
    time_limit: float | None  # seconds this attempt may take (None: unbounded)


@dataclass(frozen=True)
class RetryEvent:
    """Passed to `on_retry` after a failed attempt, before waiting `delay` seconds."""

    attempt: int
    error: Exception
    delay: float


@dataclass(frozen=True)
class GiveUp:
    """Passed to `on_give_up` just before the last error is raised."""

    attempt: int
    error: Exception
    reason: Stop


async def retry(
    fn: Callable[[Attempt], Awaitable[T]],
    *,
    policy: RetryPolicy,
    classify: Classifier,
    clock: Clock,
    rng: random.Random | None = None,
    deadline: float | None = None,
    on_retry: Callable[[RetryEvent], None] | None = None,
    on_give_up: Callable[[GiveUp], None] | None = None,
) -> T:
    """Call `fn` until it returns, `classify` gives up, attempts or time run out.

    `deadline` (on `clock.monotonic()`) overrides `policy.budget`, for callers such as
    a fallback chain whose steps share one budget.
    """
    if deadline is None and policy.budget is not None:
        deadline = clock.monotonic() + policy.budget
    rng = rng or _JITTER
    number = 0
    while True:
        number += 1
        remaining = None if deadline is None else deadline - clock.monotonic()
        if remaining is not None and (remaining <= 0 or remaining < policy.min_attempt_time):
            raise BudgetExhausted(f"no time left for attempt {number}")
        error = await _attempt(fn, number, _smallest(policy.attempt_timeout, remaining), clock)
        if not isinstance(error, Exception):
            return error.value
        verdict = classify(error)
        stop: Stop | None = None
        delay = 0.0
        if not verdict.retry:
            stop = Stop.FINAL
        elif policy.max_attempts is not None and number >= policy.max_attempts:
            stop = Stop.ATTEMPTS
        else:
            delay = max(policy.backoff.delay(number - 1, rng), verdict.after or 0.0)
            if deadline is not None and (
                clock.monotonic() + delay + max(policy.min_attempt_time, 0.0) >= deadline
            ):
                stop = Stop.BUDGET
        if stop is not None:
            if on_give_up is not None:
                on_give_up(GiveUp(number, error, stop))
            raise error
        if on_retry is not None:
            on_retry(RetryEvent(number, error, delay))
        await clock.sleep(delay)


@dataclass(frozen=True)
class _Value(Generic[V]):
    value: V


async def _attempt(
    fn: Callable[[Attempt], Awaitable[T]], number: int, limit: float | None, clock: Clock
) -> _Value[T] | Exception:
    """One call of `fn`, bounded by `limit` on the clock; its value or its error."""
    if limit is None:
        try:
            return _Value(await fn(Attempt(number, None)))
        except Exception as exc:
            return exc
    bound = None
    try:
        async with clock.timeout(limit) as bound:
            return _Value(await fn(Attempt(number, limit)))
    except Exception as exc:
        if isinstance(exc, TimeoutError) and bound is not None and bound.expired():
            timed_out = AttemptTimedOut(limit)
            timed_out.__cause__ = exc
            return timed_out
        return exc


def _smallest(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    return a if b is None else min(a, b)
