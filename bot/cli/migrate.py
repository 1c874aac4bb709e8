"""`thottopilot migrate`: bring the database schema up to date."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from bot.cli.common import cli_core

if TYPE_CHECKING:
    from core.settings import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser("migrate", help="apply database migrations")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    async with cli_core(settings) as core:
        print(f"database is up to date ({core.db.dialect})")
    return 0
