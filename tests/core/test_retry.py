"""The retry helper: backoff with full jitter, per-error policy, a budget on the clock,
Retry-After honoured. Every wait happens on a fake clock, so nothing here is timed."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest

from core.clock import SystemClock
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
from tests.fakes.clock import FakeClock


class Flaky(Exception):
    """A transient failure, optionally naming a wait (as a 429 or 503 does)."""

    def __init__(self, wait: float | None = None) -> None:
        super().__init__("flaky")
        self.wait = wait


class Fatal(Exception):
    pass


def classify(error: Exception) -> Verdict:
    if isinstance(error, Flaky):
        return retry_after(error.wait)
    return RETRY if isinstance(error, TimeoutError) else GIVE_UP


class Script:
    """An operation that fails with the scripted errors, then returns 'done'."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls: list[Attempt] = []

    async def __call__(self, attempt: Attempt) -> str:
        self.calls.append(attempt)
        if self.errors:
            raise self.errors.pop(0)
        return "done"


class Ceiling(random.Random):
    """Jitter that always draws the top of its range: shows the exponential steps."""

    def uniform(self, a: float, b: float) -> float:
        return b


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(autojump=True)


async def run(op: Script, clock: FakeClock, **policy: object) -> str:
    return await retry(op, policy=RetryPolicy(**policy), classify=classify, clock=clock,  # type: ignore[arg-type]
                       rng=random.Random(3))


async def test_success_first_time_returns_the_value_without_waiting(clock):
    assert await run(Script(), clock) == "done"
    assert clock.sleeps == []


async def test_transient_errors_are_retried_until_success(clock):
    op = Script(Flaky(), Flaky())

    assert await run(op, clock, max_attempts=3) == "done"
    assert [a.number for a in op.calls] == [1, 2, 3]
    assert len(clock.sleeps) == 2


async def test_an_error_the_policy_gives_up_on_is_raised_at_once(clock):
    fatal = Fatal("no")
    ends: list[GiveUp] = []

    with pytest.raises(Fatal) as caught:
        await retry(Script(fatal), policy=RetryPolicy(), classify=classify, clock=clock,
                    on_give_up=ends.append)

    assert caught.value is fatal
    assert clock.sleeps == []
    assert ends == [GiveUp(1, fatal, Stop.FINAL)]


async def test_running_out_of_attempts_raises_the_last_error(clock):
    last = Flaky()
    ends: list[GiveUp] = []

    with pytest.raises(Flaky) as caught:
        await retry(Script(Flaky(), Flaky(), last), policy=RetryPolicy(max_attempts=3),
                    classify=classify, clock=clock, on_give_up=ends.append)

    assert caught.value is last
    assert ends[0].reason is Stop.ATTEMPTS
    assert ends[0].attempt == 3


async def test_on_retry_reports_each_failure_and_the_wait_that_follows(clock):
    first, second = Flaky(), Flaky()
    events: list[RetryEvent] = []

    await retry(Script(first, second), policy=RetryPolicy(), classify=classify, clock=clock,
                on_retry=events.append)

    assert [(e.attempt, e.error) for e in events] == [(1, first), (2, second)]
    assert [e.delay for e in events] == clock.sleeps


async def test_waits_double_each_retry_up_to_the_cap(clock):
    op = Script(*(Flaky() for _ in range(6)))

    await retry(op, policy=RetryPolicy(max_attempts=None, backoff=Backoff(base=0.5, cap=4.0)),
                classify=classify, clock=clock, rng=Ceiling())

    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_full_jitter_spreads_waits_over_zero_to_the_step():
    backoff, rng = Backoff(base=0.5, cap=4.0), random.Random(7)
    for retry_number, step in enumerate((0.5, 1.0, 2.0, 4.0, 4.0)):
        delays = [backoff.delay(retry_number, rng) for _ in range(400)]
        assert all(0.0 <= d <= step for d in delays)
        assert min(delays) < step * 0.1 < step * 0.9 < max(delays)  # the whole range
        assert len(set(delays)) > 300  # clients that failed together don't return together


def test_a_very_late_retry_does_not_overflow():
    assert Backoff(base=0.5, cap=30.0).ceiling(10_000) == 30.0


async def test_retry_after_is_a_floor_under_the_wait(clock):
    await run(Script(Flaky(wait=7.0)), clock)

    assert clock.sleeps[0] >= 7.0


async def test_retry_after_longer_than_the_budget_ends_without_sleeping(clock):
    ends: list[GiveUp] = []

    with pytest.raises(Flaky):
        await retry(Script(Flaky(wait=60.0)), policy=RetryPolicy(budget=30.0),
                    classify=classify, clock=clock, on_give_up=ends.append)

    assert clock.sleeps == []
    assert ends[0].reason is Stop.BUDGET


async def test_no_wait_runs_past_the_budget(clock):
    start = clock.monotonic()
    op = Script(*(Flaky() for _ in range(50)))

    with pytest.raises(Flaky):
        await run(op, clock, max_attempts=None, budget=10.0, min_attempt_time=0.5)

    assert clock.monotonic() - start <= 10.0 - 0.5
    assert len(op.calls) > 3  # it did keep trying while there was time


async def test_each_attempt_is_told_its_time_limit(clock):
    op = Script(Flaky())

    await run(op, clock, budget=10.0, attempt_timeout=4.0, backoff=Backoff(base=8.0, cap=8.0))

    assert op.calls[0].time_limit == 4.0
    spent = clock.sleeps[0]
    assert op.calls[1].time_limit == pytest.approx(min(4.0, 10.0 - spent))


async def test_without_timeout_or_budget_an_attempt_is_unbounded(clock):
    op = Script()
    await run(op, clock)
    assert op.calls[0].time_limit is None


async def test_an_attempt_that_hangs_is_cut_on_the_clock_and_retried(clock):
    started, never = asyncio.Event(), asyncio.Event()
    calls: list[int] = []

    async def hangs_once(attempt: Attempt) -> str:
        calls.append(attempt.number)
        if attempt.number == 1:
            started.set()
            await never.wait()
        return "done"

    errors: list[Exception] = []
    task = asyncio.create_task(retry(
        hangs_once, policy=RetryPolicy(attempt_timeout=5.0), classify=classify, clock=clock,
        on_retry=lambda e: errors.append(e.error),
    ))
    await asyncio.wait_for(started.wait(), 60)
    clock.advance(timedelta(seconds=4.9))
    await asyncio.sleep(0)
    assert not task.done()  # the bound is 5 s of clock time, not a moment sooner
    clock.advance(timedelta(seconds=0.1))

    assert await asyncio.wait_for(task, 60) == "done"
    assert calls == [1, 2]
    assert isinstance(errors[0], AttemptTimedOut)


async def test_the_attempt_is_cut_where_the_budget_ends(clock):
    started = asyncio.Event()

    async def hangs(attempt: Attempt) -> str:
        started.set()
        await asyncio.Event().wait()
        return "never"

    task = asyncio.create_task(retry(
        hangs, policy=RetryPolicy(budget=2.0, attempt_timeout=30.0), classify=classify,
        clock=clock,
    ))
    await asyncio.wait_for(started.wait(), 60)
    clock.advance(timedelta(seconds=2))

    with pytest.raises(AttemptTimedOut):
        await asyncio.wait_for(task, 60)


async def test_a_timeout_raised_by_the_operation_itself_is_not_relabelled(clock):
    own = TimeoutError("the socket said so")

    with pytest.raises(TimeoutError) as caught:
        await run(Script(own), clock, max_attempts=1, attempt_timeout=5.0)

    assert caught.value is own


async def test_a_spent_shared_deadline_means_no_attempt_at_all(clock):
    op = Script()

    with pytest.raises(BudgetExhausted):
        await retry(op, policy=RetryPolicy(budget=100.0), classify=classify, clock=clock,
                    deadline=clock.monotonic() - 1)

    assert op.calls == []


async def test_cancellation_is_never_retried(clock):
    op = Script(asyncio.CancelledError())  # type: ignore[arg-type]

    with pytest.raises(asyncio.CancelledError):
        await run(op, clock)

    assert len(op.calls) == 1


async def test_the_real_clock_cuts_an_attempt_that_never_answers():
    async def never(attempt: Attempt) -> str:
        await asyncio.Event().wait()
        return "never"

    with pytest.raises(AttemptTimedOut):
        await retry(never, policy=RetryPolicy(max_attempts=1, attempt_timeout=0.05),
                    classify=classify, clock=SystemClock())
