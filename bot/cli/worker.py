"""`thottopilot worker`: only the posting worker, for deployments that split roles.

`serve` runs the same loop in its own process; run `worker` on as many machines as you
like against one PostgreSQL database (claims never overlap). `--once` posts what is due
now and exits (cron, scripts, tests).
"""

from __future__ import annotations

import argparse
import asyncio
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.settings import Settings


def register(sub: Any) -> None:
    p = sub.add_parser("worker", help="run only the posting worker (scheduled posts)")
    p.add_argument("--once", action="store_true", help="post what is due now, then exit")
    p.add_argument("--concurrency", type=int, default=None,
                   help="posts in flight at once (default: posting.concurrency)")
    p.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.common import cli_core
    from bot.signals import stop_on_signals
    from core.posting.service import PostingService
    from core.posting.worker import PostingWorker
    from core.texts import schedule as t

    async with cli_core(settings) as core:
        if args.once:
            n = total = 0
            while n := await PostingService(core).run_due(args.concurrency or 8):
                total += n
            print(t.WORKER_ONCE.format(n=total))
            return 0
        stop = asyncio.Event()
        async with AsyncExitStack() as stack:
            stop_on_signals(stop, stack)
            print(t.WORKER_STARTED, flush=True)
            await PostingWorker(core, concurrency=args.concurrency).run(stop)
        print(t.WORKER_STOPPED)
    return 0
