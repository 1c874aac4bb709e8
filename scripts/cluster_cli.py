"""The command line of `scripts/cluster N`: flags (defaults from THOTTOPILOT_* variables
where the product has one), then run the cluster until Ctrl-C or SIGTERM.

Telegram: with a token (`--telegram-token` or THOTTOPILOT_TELEGRAM__TOKEN) every process
runs Telegram in webhook mode and registers the balancer's URL (or `--public-url`, the
https address of a tunnel or proxy in front); `--telegram-api-base-url` points the bot
at another Bot API, such as the fake in tests/fakes/telegram.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from collections.abc import Sequence
from pathlib import Path

from scripts.cluster import DEFAULT_DATABASE, DEFAULT_REDIS, ROOT, ClusterConfig, running

ROLES = ("web", "bot", "worker", "all")  # bot.roles.Role's values


def parse(argv: Sequence[str] | None = None) -> ClusterConfig:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="scripts/cluster", description="N serve processes behind a local balancer, "
        "on PostgreSQL and Redis, to try a deployment on one machine.")
    parser.add_argument("processes", type=int, nargs="?", default=2, help="how many (2)")
    parser.add_argument("--roles", default="all",
                        help="a role for every process, or one per process separated by "
                        "commas, e.g. web,web,bot,worker (choices: " + ", ".join(ROLES) + ")")
    parser.add_argument("--host", default="127.0.0.1", help="the balancer's address")
    parser.add_argument("--port", type=int, default=8080, help="the balancer's port (8080)")
    parser.add_argument("--public-url", help="web.public_url (default: the balancer's URL)")
    parser.add_argument("--database-url", default=env("THOTTOPILOT_DATABASE__URL",
                                                      DEFAULT_DATABASE))
    parser.add_argument("--redis-url", default=env("THOTTOPILOT_REDIS__URL", DEFAULT_REDIS))
    parser.add_argument("--no-redis", action="store_true",
                        help="no Redis: limits and replay guards per process")
    parser.add_argument("--telegram-token", default=env("THOTTOPILOT_TELEGRAM__TOKEN"))
    parser.add_argument("--telegram-api-base-url",
                        default=env("THOTTOPILOT_TELEGRAM__API_BASE_URL"))
    parser.add_argument("--telegram-file-base-url",
                        default=env("THOTTOPILOT_TELEGRAM__FILE_BASE_URL"))
    parser.add_argument("--webhook-secret", default=env("THOTTOPILOT_TELEGRAM__WEBHOOK_SECRET"),
                        help="default: generated once into the data directory")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data" / "cluster",
                        help="p<i>/ per process, media/ and the shared keys (data/cluster)")
    args = parser.parse_args(argv)
    roles = [r.strip() for r in args.roles.split(",")]
    if args.processes < 1:
        parser.error("give at least one process")
    if unknown := [r for r in roles if r not in ROLES]:
        parser.error(f"unknown role {unknown[0]!r} (choices: {', '.join(ROLES)})")
    if len(roles) not in (1, args.processes):
        parser.error(f"--roles: give one role or {args.processes}, not {len(roles)}")
    if not any(r in ("web", "all") for r in roles):
        parser.error("--roles: at least one process must run web (or all)")
    return ClusterConfig(
        processes=args.processes, database_url=args.database_url,
        redis_url=None if args.no_redis else args.redis_url, host=args.host, port=args.port,
        public_url=args.public_url, roles=roles, telegram_token=args.telegram_token,
        telegram_api_base_url=args.telegram_api_base_url,
        telegram_file_base_url=args.telegram_file_base_url,
        webhook_secret=args.webhook_secret, data_dir=args.data_dir.resolve())


async def run_until_stopped(config: ClusterConfig) -> None:
    """Start, say where everything is, stop on Ctrl-C or SIGTERM."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    async with running(config) as cluster:
        print(f"balancer on {cluster.url} (its status: {cluster.url}/_balancer)", flush=True)
        for m in cluster.members:
            where = f"http://127.0.0.1:{m.port}" if m.port else "no port"
            print(f"  serve {m.index} ({m.role}): {where}, pid {m.proc.pid}", flush=True)
        print("Ctrl+C stops everything", flush=True)
        await stopping.wait()
        print("stopping", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    asyncio.run(run_until_stopped(parse(argv)))


if __name__ == "__main__":
    main()
