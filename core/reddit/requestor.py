"""Exactly-once writes: never let the HTTP stack blindly retry a request that creates a post.

A retried `/api/submit` can post twice, because Reddit sometimes makes the post and
then fails to answer (a 502 from its edge, a dropped connection). asyncprawcore's own
retries are off for our clients (core.reddit.retries), and ours must know. This
requestor, passed to asyncpraw as its documented `requestor_class`, turns such a failure
on a write into `AmbiguousWrite`, which nothing retries blindly. The caller then
looks at the account's own recent submissions to learn whether the post landed
(`landed_post`), and only says "nothing was posted" when it did not.

The requestor subclasses asyncprawcore's `Requestor`, so the class is made by
`submit_once_requestor()` when the first client is built (core.reddit.client), not when
this module is imported: `serve` must start without loading the Reddit client stack.
"""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterator, Callable, Collection, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiohttp

if TYPE_CHECKING:
    import asyncpraw
    from asyncpraw.models import Submission
    from asyncprawcore import Requestor

# Requests that create something on Reddit; retrying them blindly can duplicate it.
WRITE_PATHS = ("/api/submit", "/api/submit_gallery_post.json", "/api/comment")
LANDED_WINDOW = 15 * 60  # seconds: how far back a lost answer's post can be
LANDED_LOOKBACK = 10  # newest submissions of the account to look through


# Who wants the X-Ratelimit-* headers of Reddit's answers in the current task: the
# posting engine keeps the app-wide request budget from them (core.posting.budget).
RATELIMIT_OBSERVER: ContextVar[Callable[[Mapping[str, str]], None] | None] = ContextVar(
    "reddit_ratelimit_observer", default=None
)


class AmbiguousWrite(Exception):
    """A post-creating request failed after it may have reached Reddit."""


def _is_write(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    method = str(args[0] if args else kwargs.get("method", "")).upper()
    url = str(args[1] if len(args) > 1 else kwargs.get("url", ""))
    return method == "POST" and urlsplit(url).path.rstrip("/").endswith(
        tuple(p.rstrip("/") for p in WRITE_PATHS)
    )


@cache
def submit_once_requestor() -> type[Requestor]:
    """The requestor class passed to asyncpraw; made once, with the first client."""
    from asyncprawcore import Requestor
    from asyncprawcore.exceptions import RequestException

    class SubmitOnceRequestor(Requestor):
        @asynccontextmanager
        async def request(
            self, *args: Any, timeout: float | None = None, **kwargs: Any  # noqa: ASYNC109
        ) -> AsyncIterator[aiohttp.ClientResponse]:
            write = _is_write(args, kwargs)
            try:
                async with super().request(*args, timeout=timeout, **kwargs) as response:
                    observer = RATELIMIT_OBSERVER.get()
                    if observer is not None:
                        observer(response.headers)
                    if write and response.status >= 500:
                        raise AmbiguousWrite(f"HTTP {response.status} from {args[1:2]}")
                    yield response
            except RequestException as exc:
                original = exc.original_exception
                if not write or isinstance(original, AmbiguousWrite):
                    raise
                if isinstance(original, aiohttp.ClientConnectorError):
                    raise  # never connected: nothing was sent, a retry is safe
                raise RequestException(AmbiguousWrite(repr(original)), args, kwargs) from exc

    return SubmitOnceRequestor


def is_ambiguous(exc: BaseException) -> bool:
    """True when a write may or may not have happened on Reddit's side."""
    if "asyncprawcore" not in sys.modules:  # no client yet, so no request failed
        return False
    from asyncprawcore.exceptions import RequestException

    return isinstance(exc, RequestException) and isinstance(
        exc.original_exception, AmbiguousWrite
    )


async def landed_post(
    reddit: asyncpraw.Reddit, subreddit: str, title: str, *, now: float | None = None,
    taken: Collection[str] = (),
) -> Submission | None:
    """The account's own recent post with this title in this subreddit, if one exists
    that is not in `taken` (posts already recorded as ours: an earlier post of the same
    title, say one a moderator removed, is not this attempt landing)."""
    since = (now if now is not None else time.time()) - LANDED_WINDOW
    me = await reddit.user.me()
    if me is None:
        return None
    async for submission in me.submissions.new(limit=LANDED_LOOKBACK):
        same_place = str(submission.subreddit).lower() == subreddit.lower()
        if same_place and submission.title == title and submission.created_utc >= since \
                and submission.id not in taken:
            return submission
    return None
