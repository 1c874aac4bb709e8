"""`thottopilot serve`: web companion + every configured chat transport."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.settings import Settings

EXIT_STARTUP = 1


def register(sub: Any) -> None:
    parser = sub.add_parser("serve", help="run the bot(s) and the web companion")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runner import StartupError, serve  # the whole stack: only when serving

    try:
        await serve(settings)
    except StartupError as exc:
        print(f"thottopilot: {exc}", file=sys.stderr)
        return EXIT_STARTUP
    return 0
