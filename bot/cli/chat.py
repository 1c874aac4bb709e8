"""`thottopilot chat`: talk to the bot in this terminal."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

from bot.cli.common import cli_core

if TYPE_CHECKING:
    from core.settings import Settings

INTRO = "ThottoPilot chat. Type a number to press a button, /help for commands, /quit to leave."


def register(sub: Any) -> None:
    parser = sub.add_parser("chat", help="chat with the bot in the terminal")
    parser.add_argument("--as", dest="who", default=None, help="local user name")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_dispatcher
    from bot.console import ConsoleChannel, ConsoleChat
    from core.users import local_who

    async with cli_core(settings) as core:
        chat = ConsoleChat(
            build_dispatcher(core),
            local_who(args.who),
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
