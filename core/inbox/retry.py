"""Asking the inbox to process the update in hand again later.

Some failures are about now, not about the update: the database's connection pool is
exhausted, so this update could not even start. Marking it failed would lose it; the
inbox can instead leave it open (its chat's next updates keep waiting behind it, so
order holds) and hand it out again after a short pause.

The consumer opens a `Retry` slot around each update it processes; whoever handles the
update, however deep (python-telegram-bot's `process_update` swallows exceptions, so
raising would not reach us), calls `ask_retry()`. A ContextVar carries the slot: a
task started from the handler copies the context, but shares the same slot object.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

RETRY_AFTER = 1.0  # seconds before a retried update is claimable again


@dataclass
class Retry:
    asked: bool = False
    after: float = RETRY_AFTER


_slot: ContextVar[Retry | None] = ContextVar("inbox_retry", default=None)


@contextmanager
def retry_slot() -> Iterator[Retry]:
    """Around the processing of one update (the consumer's side)."""
    slot = Retry()
    token = _slot.set(slot)
    try:
        yield slot
    finally:
        _slot.reset(token)


def ask_retry(after: float = RETRY_AFTER) -> bool:
    """Process the current update again in `after` seconds. False when it is not being
    processed from an inbox (a console chat, a Discord interaction): then nobody will
    retry it, and the caller must answer as if this were final."""
    slot = _slot.get()
    if slot is None:
        return False
    slot.asked, slot.after = True, after
    return True
