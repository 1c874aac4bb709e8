"""Where one Telegram update's CPU goes, part by part, each next to a floor in the same run.

bench/bot/run.py gives the whole path's CPU per update; this splits the fixed cost of the
cheapest update (/help from a known creator in a known chat) into the parts a serve
process runs, each measured alone in this process (`time.process_time`, best of
--rounds rounds of --updates updates), so the figure is this process's work and not
the other side's:

- parse: the webhook body into python-telegram-bot's `Update` and our event
  (`to_event`); floor: `json.loads` of the same body.
- flow: the dispatcher's unit of work for /help on PostgreSQL (sender, user and
  conversation read, the flow, the commit; its reply held for a channel that does no
  I/O); floor: the very statements it sent, replayed through raw asyncpg in one
  transaction.
- send: the reply through `TelegramChannel.send` (python-telegram-bot's
  `send_message` on core.telegram_http) to the local fake Bot API in a child process;
  floor: the same sendMessage as one aiohttp POST of JSON.

- inbox: record and take, done mark, look for the chat's next (bench/inbox/cpu.py);
  floor: the same SQL through raw asyncpg.

What the sum leaves out of bench/bot/run.py's `--by-step` figure for /help is the rest
of the path: aiohttp's server and our middleware, python-telegram-bot's Application
dispatch, the consumer's scheduling, and what waking the peers of each round trip costs.
Run: `.venv/bin/python bench/bot/parts.py [--updates 1000] [--rounds 3]
[--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.inbox.cpu import DEFAULT_PG, best_of, measure  # noqa: E402

TOKEN = "123:BENCH"
CHAT = 4242
HELP = {"update_id": 1, "message": {
    "message_id": 7, "date": 1_700_000_000, "text": "/help",
    "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
    "chat": {"id": CHAT, "type": "private", "first_name": "Bench"},
    "from": {"id": CHAT, "is_bot": False, "first_name": "Bench", "language_code": "en"}}}
FAKE = ("import asyncio, sys\n"
        "from tests.fakes.telegram import FakeTelegram\n"
        "async def main():\n"
        f"    fake = FakeTelegram({TOKEN!r}); await fake.start()\n"
        "    print(fake.server.port, flush=True); await asyncio.Event().wait()\n"
        "asyncio.run(main())\n")


async def parse_part(args: argparse.Namespace, bot: Any) -> tuple[float, float]:
    from telegram import Update

    from bot.telegram.translate import to_event

    body = json.dumps(HELP).encode()

    async def ours(_: int) -> None:
        assert to_event(Update.de_json(json.loads(body), bot)) is not None

    async def floor(_: int) -> None:
        json.loads(body)

    return (await best_of(args.rounds, args.updates, ours, 0),
            await best_of(args.rounds, args.updates, floor, 0))


async def flow_part(args: argparse.Namespace, url: str, data_dir: str
                    ) -> tuple[float, float, int]:
    import asyncpg
    from sqlalchemy import event

    from bot.app import build_dispatcher
    from bot.console import ConsoleChannel
    from bot.conversation.events import Command
    from core.bootstrap import open_core
    from core.settings import Settings
    from core.users import Who

    settings = Settings(app={"data_dir": data_dir, "log_level": "WARNING"},
                        database={"url": url}, ratelimit={"enabled": False},
                        outbound={"enabled": False})
    who = Who("telegram", str(CHAT), display_name="Bench")
    channel = ConsoleChannel(out=lambda _: None)
    async with open_core(settings) as core:
        dispatcher = build_dispatcher(core)

        async def ours(_: int) -> None:
            await dispatcher.handle(Command(who, str(CHAT), name="help"), channel)

        for _ in range(50):  # the creator and chat exist; statements are prepared
            await ours(0)
        sent: list[tuple[str, list[Any]]] = []

        def on_statement(_c: Any, _cur: Any, statement: str, parameters: Any,
                         *_: Any) -> None:
            sent.append((statement, list(parameters)))

        engine = core.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", on_statement)
        await ours(0)
        event.remove(engine, "before_cursor_execute", on_statement)
        assert channel.messages, "/help answered"
        mine = await best_of(args.rounds, args.updates, ours, 0)

    raw = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        async def floor(_: int) -> None:
            async with raw.transaction():
                for text, values in sent:
                    await raw.fetch(text, *values)

        for _ in range(50):
            await floor(0)
        bare = await best_of(args.rounds, args.updates, floor, 0)
    finally:
        await raw.close()
    return mine, bare, len(sent)


async def send_part(args: argparse.Namespace, bot: Any, base: str) -> tuple[float, float]:
    import aiohttp

    from bot.conversation.replies import Button, Reply
    from bot.telegram.channel import TelegramChannel

    channel = TelegramChannel(bot, CHAT)
    reply = Reply("Here is what I can do.", buttons=[[Button("Menu", payload="m")]])

    async def ours(_: int) -> None:
        await channel.send(reply)

    body = {"chat_id": CHAT, "text": reply.text, "reply_markup": json.dumps(
        {"inline_keyboard": [[{"text": "Menu", "callback_data": "m"}]]})}
    async with aiohttp.ClientSession() as http:
        async def floor(_: int) -> None:
            async with http.post(f"{base}/sendMessage", json=body) as answer:
                assert (await answer.json())["ok"]

        for _ in range(50):
            await ours(0)
            await floor(0)
        return (await best_of(args.rounds, args.updates, ours, 0),
                await best_of(args.rounds, args.updates, floor, 0))


async def main(args: argparse.Namespace) -> None:
    import asyncpg
    from telegram import Bot

    from core.telegram_http import bot_requests

    fake = await asyncio.create_subprocess_exec(
        sys.executable, "-c", FAKE, cwd=ROOT, stdout=asyncio.subprocess.PIPE)
    assert fake.stdout is not None
    base = f"http://127.0.0.1:{int(await fake.stdout.readline())}/bot"
    admin = await asyncpg.connect(args.database_url.replace("+asyncpg", ""))
    name = f"bench_parts_{os.getpid()}"
    await admin.execute(f"CREATE DATABASE {name}")
    bot = Bot(TOKEN, base_url=base, **bot_requests())
    try:
        await bot.initialize()
        parse = await parse_part(args, bot)
        with tempfile.TemporaryDirectory() as tmp:
            flow = await flow_part(args, f"{args.database_url.rsplit('/', 1)[0]}/{name}", tmp)
        send = await send_part(args, bot, f"{base}{TOKEN}")
        inbox = await measure(args)
    finally:
        await bot.shutdown()
        fake.kill()
        await fake.wait()
        await admin.execute(f"DROP DATABASE IF EXISTS {name}")
        await admin.close()
    print(f"CPU per /help update by part, best of {args.rounds} x {args.updates}; "
          f"{os.cpu_count()} CPUs")
    print(f"{'part':<50}{'ours ms':>9}{'floor ms':>10}")
    rows = [("parse (PTB Update and our event | json.loads)", parse),
            (f"flow ({flow[2]} statement(s) + BEGIN/COMMIT | raw asyncpg)", flow[:2]),
            ("send (PTB send_message | one aiohttp POST)", send),
            (f"inbox ({inbox[2]} statements | raw asyncpg)", inbox[:2])]
    for label, (mine, bare) in rows:
        print(f"{label:<50}{mine:>9.3f}{bare:>10.3f}")
    print(f"{'sum':<50}{sum(r[1][0] for r in rows):>9.3f}{sum(r[1][1] for r in rows):>10.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get(
        "THOTTOPILOT_TEST_POSTGRES_URL", DEFAULT_PG))
    asyncio.run(main(parser.parse_args()))
