"""`thottopilot serve`: web companion + every configured chat transport."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.runner import StartupError, serve
from core.settings import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser("serve", help="run the bot(s) and the web companion")
    parser.set_defaults(handler=run)


EXIT_STARTUP = 1


async def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        await serve(settings)
    except StartupError as exc:
        print(f"thottopilot: {exc}", file=sys.stderr)
        return EXIT_STARTUP
    return 0
