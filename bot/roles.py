"""What one `thottopilot serve` process runs: its role (`--role web|bot|worker|all`).

Every process is the same program on the same database; a role only chooses which
parts start in its one event loop, so an operator can scale each part on its own:

- web: the aiohttp companion, and with Telegram in webhook mode the webhook route,
  which commits each update to the inbox (core.inbox) before it answers;
- bot: the chat side: Telegram (polling, or the webhook's registration and the inbox
  consumer that processes what any web process recorded) and the Discord gateway;
- worker: background work: scheduled posts, outcome checks, notice delivery (with
  senders of its own, no chat listener), Stripe meter events, the daily archival;
- all: everything above in one process (the default; a single-machine install).

Imports nothing beyond the standard library: `thottopilot serve --help` stays instant.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    WEB = "web"
    BOT = "bot"
    WORKER = "worker"
    ALL = "all"

    @property
    def web(self) -> bool:
        return self in (Role.WEB, Role.ALL)

    @property
    def bot(self) -> bool:
        return self in (Role.BOT, Role.ALL)

    @property
    def worker(self) -> bool:
        return self in (Role.WORKER, Role.ALL)


ROLE_HELP = ("what this process runs: web (companion + Telegram webhook route), "
             "bot (chat transports + inbox consumer), worker (posting, outcomes, notices, "
             "meters) or all (default)")
