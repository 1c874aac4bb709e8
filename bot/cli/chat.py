"""`thottopilot chat`: talk to the bot in this terminal."""

from __future__ import annotations

import argparse
import asyncio
import getpass
from typing import Any

from bot.cli.common import build_dispatcher, cli_core
from bot.console import ConsoleChannel, ConsoleChat
from core.settings import Settings
from core.users import Who

INTRO = "ThottoPilot chat. Type a number to press a button, /help for commands, /quit to leave."


def register(sub: Any) -> None:
    parser = sub.add_parser("chat", help="chat with the bot in the terminal")
    parser.add_argument("--as", dest="who", default=None, help="local user name")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    async with cli_core(settings) as core:
        chat = ConsoleChat(
            build_dispatcher(core),
            Who("console", args.who or getpass.getuser(), display_name=args.who),
            ConsoleChannel(save_dir=settings.app.data_dir / "received"),
        )
        print(INTRO)
        await chat.open()
        while True:
            try:
                line = await asyncio.to_thread(input, "> ")
            except EOFError:
                break
            if line.strip() in {"/quit", "/exit"}:
                break
            await chat.say(line)
    return 0
