"""Asking the inbox to process the update in hand again later.

Some failures are about now, not about the update: the database's connection pool is
exhausted, so this update could not even start. Marking it failed would lose it; the
inbox can instead leave it open (its chat's next updates keep waiting behind it, so
order holds) and hand it out again after a short pause.

The consumer opens a `Retry` slot around each update it processes; whoever handles the
update, however deep (python-telegram-bot's `process_update` swallows exceptions, so
raising would not reach us), calls `ask_retry()`. A ContextVar carries the slot: a
task started from the handler copies the context, but shares the same slot object.

Retries end: the inbox counts them on the row (`Claimed.retries`), and an update
handed back MAX_RETRIES times is not handed back again: `ask_retry` answers SPENT, the
caller answers as if the failure were final, and the consumer marks the update failed.
The answer also says whether this is the update's first retry (FIRST), so the person is
told "busy, I'll answer in a moment" once, not on every try.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum

RETRY_AFTER = 1.0  # seconds before a retried update is claimable again
MAX_RETRIES = 10  # hand-backs of one update; with a pool timeout of 5 s, about a minute


class Asked(Enum):
    """What `ask_retry` did."""

    NO_INBOX = "no_inbox"  # not from an inbox: nobody retries it
    FIRST = "first"  # handed back, for the first time
    AGAIN = "again"  # handed back, once more
    SPENT = "spent"  # not handed back: its retries are spent; it fails

    @property
    def retried(self) -> bool:
        return self in (Asked.FIRST, Asked.AGAIN)


@dataclass
class Retry:
    retries: int = 0  # times the update in hand was handed back before
    asked: bool = False
    after: float = RETRY_AFTER
    spent: bool = False  # asked past MAX_RETRIES: mark it failed


_slot: ContextVar[Retry | None] = ContextVar("inbox_retry", default=None)


@contextmanager
def retry_slot(retries: int = 0) -> Iterator[Retry]:
    """Around the processing of one update handed back `retries` times before (the
    consumer's side)."""
    slot = Retry(retries)
    token = _slot.set(slot)
    try:
        yield slot
    finally:
        _slot.reset(token)


def ask_retry(after: float = RETRY_AFTER) -> Asked:
    """Process the current update again in `after` seconds: FIRST or AGAIN. NO_INBOX
    when it is not being processed from an inbox (a console chat, a Discord
    interaction), SPENT when it was handed back MAX_RETRIES times already: then nobody
    will retry it, and the caller must answer as if this were final."""
    slot = _slot.get()
    if slot is None:
        return Asked.NO_INBOX
    if slot.retries >= MAX_RETRIES:
        slot.spent = True
        return Asked.SPENT
    slot.asked, slot.after = True, after
    return Asked.FIRST if slot.retries == 0 else Asked.AGAIN
