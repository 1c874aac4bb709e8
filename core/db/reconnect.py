"""One more try for an idempotent write whose pooled connection the server had dropped.

Pooled connections are not pinged at checkout (database.pool_pre_ping is off: a round
trip saved on every transaction), so after a server restart or failover the first
statement on a stale connection fails, and SQLAlchemy marks it invalidated and
recycles the pool. For most work that failure surfaces (the inbox retries the update,
the caller sees it). A bookkeeping write that must land after a side effect (an
update marked done after its replies went out, a notice marked sent after the chat
took it) is instead tried once more on a fresh connection: left undone, the side
effect would be repeated when its lease lapsed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

T = TypeVar("T")


async def once_more_if_dropped(write: Callable[[], Awaitable[T]]) -> T:
    """Run `write` (its own transaction, safe to repeat); again once if it failed only
    because its connection had been dropped."""
    try:
        return await write()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
    return await write()
