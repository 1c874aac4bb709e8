"""`thottopilot serve [--role web|bot|worker|all]`: the service, or one role of it.

`all` (the default) runs the web companion, every configured chat transport and the
background workers in one process; the other roles let an operator scale each part on
its own against one PostgreSQL database (bot.roles).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.settings import Settings

EXIT_STARTUP = 1


def register(sub: Any) -> None:
    from bot.roles import ROLE_HELP, Role  # standard library only

    parser = sub.add_parser("serve", help="run the bot(s) and the web companion")
    parser.add_argument("--role", choices=[r.value for r in Role], default=Role.ALL.value,
                        help=ROLE_HELP)
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.roles import Role
    from bot.runner import StartupError, serve  # the whole stack: only when serving

    try:
        await serve(settings, role=Role(args.role))
    except StartupError as exc:
        print(f"thottopilot: {exc}", file=sys.stderr)
        return EXIT_STARTUP
    return 0
