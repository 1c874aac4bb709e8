"""One retry policy for Reddit: ours, on the injected clock, not asyncprawcore's as well.

asyncprawcore's `Session` retries a 5xx (500, 502, 503, 504, 520, 522), a 408 or a lost
connection twice by itself, sleeping 0-2 s and then 2-4 s with `asyncio.sleep` (its
`FiniteRetryStrategy`), before the error reaches us. Our callers already retry Reddit
trouble with `core.retry`'s backoff on `core.clock` (the posting engine and the outcome
checks requeue the work, a chat turn says "try again in a few minutes"), so an outage
was retried twice over, and every one waited seconds of real time that a test's
FakeClock could not move.

`single_retry_policy(reddit)` takes that loop out of each session of a freshly built
client (asyncpraw has no setting for it):

- no status and no connection error is retried: the error comes out at once, as the
  same asyncprawcore exception as before (`ServerError`, `RequestException`, ...),
  which `core.reddit.errors.translate` already classifies;
- the one retry kept is asyncprawcore's answer to a 401 mid-session: drop the access
  token and try once more with a fresh one. That is authentication, not backoff, so it
  stays, without the sleep.

It sets asyncprawcore 4's `Session` attributes on the instances (`RETRY_STATUSES`,
`RETRY_EXCEPTIONS`, `_retry_strategy_class`); tests/core/reddit/test_retries.py fails
if a new asyncprawcore stops honouring them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncpraw
    from asyncprawcore.sessions import FiniteRetryStrategy


@cache
def _refresh_once() -> type[FiniteRetryStrategy]:
    """The strategy class, made with the first client (asyncprawcore loads with it)."""
    from asyncprawcore.sessions import FiniteRetryStrategy

    @dataclass(frozen=True)
    class RefreshOnce(FiniteRetryStrategy):
        """One immediate retry, which only a 401 (a token to refresh) can use."""

        retries: int = 1

        def _sleep_seconds(self) -> float | None:
            return None

    return RefreshOnce


def single_retry_policy(reddit: asyncpraw.Reddit) -> asyncpraw.Reddit:
    """Turn off asyncprawcore's own retries in every session of `reddit`."""
    strategy = _refresh_once()
    # Any: asyncpraw types these as None, and the retry settings are class variables
    cores: list[Any] = [reddit._read_only_core, reddit._authorized_core]
    for session in {id(s): s for s in cores if s is not None}.values():
        session.RETRY_STATUSES = frozenset()
        session.RETRY_EXCEPTIONS = ()
        session._retry_strategy_class = strategy
    return reddit
