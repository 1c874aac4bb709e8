"""`thottopilot serve`: web companion + every configured chat transport."""

from __future__ import annotations

import argparse
from typing import Any

from bot.runner import serve
from core.settings import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser("serve", help="run the bot(s) and the web companion")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    await serve(settings)
    return 0
