"""`thottopilot worker`: `serve --role worker` under its older name.

The worker role runs scheduled posts, outcome checks, notice delivery and meter events
(bot.roles); run it on as many machines as you like against one PostgreSQL database
(claims never overlap). `--once` posts what is due now and exits (cron, scripts, tests).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.settings import Settings


def register(sub: Any) -> None:
    p = sub.add_parser("worker", help="run only background work (serve --role worker)")
    p.add_argument("--once", action="store_true", help="post what is due now, then exit")
    p.add_argument("--concurrency", type=int, default=None,
                   help="posts in flight at once (default: posting.concurrency)")
    p.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.common import cli_core
    from core.posting.service import PostingService
    from core.texts import schedule as t

    if args.once:
        async with cli_core(settings) as core:
            n = total = 0
            while n := await PostingService(core).run_due(args.concurrency or 8):
                total += n
            print(t.WORKER_ONCE.format(n=total))
            return 0
    if args.concurrency:
        posting = settings.posting.model_copy(update={"concurrency": args.concurrency})
        settings = settings.model_copy(update={"posting": posting})
    from bot.roles import Role
    from bot.runner import serve

    await serve(settings, role=Role.WORKER, banner=t.WORKER_STARTED)
    print(t.WORKER_STOPPED)
    return 0
