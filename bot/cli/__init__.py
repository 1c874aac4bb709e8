"""`thottopilot` command line. Each subcommand lives in its own module here."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Sequence

from bot.cli.common import setup_logging
from core.settings import ConfigError, load_settings

# Module names under bot.cli; each defines `register(subparsers)`.
COMMANDS: tuple[str, ...] = ("serve", "migrate", "chat", "post", "accounts", "protect", "caption")

EXIT_CONFIG = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thottopilot", description="ThottoPilot: your Reddit co-pilot."
    )
    parser.add_argument("--config", help="path to config.toml (or set THOTTOPILOT_CONFIG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"bot.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_CONFIG
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"thottopilot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings)
    try:
        return asyncio.run(args.handler(args, settings))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
