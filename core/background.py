"""A coroutine run beside a block of code: started on entry, cancelled and awaited on
exit. Heartbeats, leases, listeners and pollers all live exactly as long as the work
they serve; one helper, so none of them forgets to await the cancelled task (its
`finally` blocks would then run after their resources were gone)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager, suppress
from typing import Any


@asynccontextmanager
async def in_background(work: Coroutine[Any, Any, Any], name: str
                        ) -> AsyncIterator[asyncio.Task[Any]]:
    """Run `work` as a task for as long as the block runs."""
    task = asyncio.create_task(work, name=name)
    try:
        yield task
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
