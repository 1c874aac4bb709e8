"""`thottopilot demo-data`: seed made-up creators and events for the admin dashboard."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.cli.common import cli_core
from core.settings import Settings
from core.texts import analytics as t


def register(sub: Any) -> None:
    parser = sub.add_parser("demo-data", help=t.DEMO_HELP)
    parser.add_argument("--users", type=int, default=80, help="how many creators (80)")
    parser.add_argument("--yes", action="store_true", help=t.DEMO_CONFIRM_HELP)
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from core.analytics.demo import seed_demo

    async with cli_core(settings) as core:
        if not args.yes:
            print(t.DEMO_NEEDS_FLAG.format(db=core.db.dialect), file=sys.stderr)
            return 2
        seeded = await seed_demo(core.db, core.clock.now(), users=max(1, args.users))
    if seeded is None:
        print(t.DEMO_ALREADY)
    else:
        print(t.DEMO_DONE.format(users=seeded.users, events=seeded.events,
                                 paying=seeded.paying))
    return 0
