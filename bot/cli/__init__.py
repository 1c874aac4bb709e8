"""`thottopilot` command line. Each subcommand lives in its own module here.

Start-up cost is part of the product: a person typing `thottopilot --help` should get
an answer at once. So this module imports nothing beyond the standard library at top
level, and only the module of the subcommand actually being run is imported (and
registered with argparse); the others appear in the listing from `COMMANDS` alone.
Settings (pydantic) are loaded only once a command is known.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Sequence

# Module name under bot.cli -> its line in `thottopilot --help`. Each module defines
# `register(subparsers)`, which adds the full parser when that command is run.
COMMANDS: dict[str, str] = {
    "serve": "run the bot(s) and the web companion",
    "migrate": "apply database migrations",
    "chat": "chat with the bot in the terminal",
    "post": "rule-check and post to Reddit",
    "accounts": "manage connected Reddit accounts",
    "protect": "protect a photo against reverse-image search",
    "caption": "caption options for a photo or description, without a chat",
    "users": "list users and their ids (for --user)",
    "worker": "run only the posting worker (scheduled posts)",
    "queue": "list, cancel and reschedule scheduled posts",
    "schedule": "schedule many posts from a CSV file",
    "billing": "payments: replay missed Stripe events, refund a Stars payment",
    "demo-data": "seed demo creators and events for the admin dashboard",
    "check": "run the pre-launch checks (exit 1 on any failure)",
    "backup": "back the database up (safe while serving)",
    "restore": "restore the database from a backup file",
}

EXIT_CONFIG = 2


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv` (the first word that is not a global option)."""
    skip_next = False
    for word in argv:
        if skip_next:
            skip_next = False
        elif word == "--config":
            skip_next = True
        elif not word.startswith("-"):
            return word
    return None


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the command named in `argv` gets its real (imported) parser."""
    parser = argparse.ArgumentParser(
        prog="thottopilot", description="ThottoPilot: your Reddit co-pilot."
    )
    parser.add_argument("--config", help="path to config.toml (or set THOTTOPILOT_CONFIG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = chosen_command(argv)
    for name, help_line in COMMANDS.items():
        if name == chosen:
            importlib.import_module(f"bot.cli.{name.replace('-', '_')}").register(sub)
        else:
            sub.add_parser(name, help=help_line)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_CONFIG
    from bot.cli.common import setup_logging
    from core.db.errors import DatabaseSetupError
    from core.settings import ConfigError, load_settings

    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"thottopilot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings)
    try:
        return int(asyncio.run(args.handler(args, settings)))
    except DatabaseSetupError as exc:
        print(f"thottopilot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
