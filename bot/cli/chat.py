"""`thottopilot chat`: talk to the bot in this terminal."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

from bot.cli.common import cli_core
from core.texts import cli as t

if TYPE_CHECKING:
    from bot.console import ConsoleChannel
    from core.bootstrap import Core
    from core.posting.worker import Workers
    from core.settings import Settings
    from core.users import Who


def register(sub: Any) -> None:
    parser = sub.add_parser("chat", help="chat with the bot in the terminal")
    parser.add_argument("--as", dest="who", default=None, help="local user name")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_dispatcher
    from bot.console import ConsoleChannel, ConsoleChat
    from core.users import local_who

    async with cli_core(settings) as core:
        channel = ConsoleChannel(save_dir=settings.app.data_dir / "received")
        chat = ConsoleChat(build_dispatcher(core), local_who(args.who), channel)
        print(t.CHAT_INTRO)
        await chat.open()
        workers = await _workers(core, channel, local_who(args.who))
        try:
            while True:
                try:
                    line = await asyncio.to_thread(input, "> ")
                except EOFError:
                    break
                if line.strip() in {"/quit", "/exit"}:
                    break
                await chat.say(line)
        finally:
            await workers.stop()
    return 0


async def _workers(core: Core, channel: ConsoleChannel, who: Who) -> Workers:
    """While chatting, scheduled posts go out and their notices print here."""
    from bot.console_deliver import ConsoleDeliverer
    from core.errors import UserFacingError
    from core.posting.worker import start_workers

    try:
        async with core.db.session() as session:
            user, _ = await core.users.get_or_create(session, who)
    except UserFacingError:  # an account pending deletion has no news to print
        return start_workers(core, [])
    return start_workers(core, [ConsoleDeliverer(channel, user.id)])
