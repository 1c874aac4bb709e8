"""What a process keeps outside the database, said at start when it may not be shared.

On SQLite there is one machine and one writer: everything below is shared by
construction. On PostgreSQL an operator may run many processes, possibly on several
machines, and these must then agree:

- the secret key, the VAPID key pair and scheduled photos live in the data directory
  (generated there when not configured): configure `security.secret_key` and
  `push.vapid_private_key`, and give every machine the same `posting.media_dir`
  (a shared volume), or a button signed by one machine fails on another;
- web request budgets, the signed-call replay guard and the outbound message limits
  (Telegram's 30/s per bot and 1/s per chat, Discord's per-channel pace) are in process
  memory without `[redis] url`: each process then keeps its own (N processes allow N
  times the budget, and Telegram answers the excess with 429s, which are waited out).

One warning line each, at start; nothing refuses to run (a single PostgreSQL process on
one machine is a valid deployment too).
"""

from __future__ import annotations

import logging

from core.settings import Settings

log = logging.getLogger(__name__)


def unshared(settings: Settings) -> list[str]:
    """What this process would keep to itself if a second process were started."""
    if not settings.database_url.startswith("postgresql"):
        return []
    found = []
    if settings.security.secret_key is None:
        found.append("security.secret_key is not set: each machine generates its own "
                     "in its data directory (set it, the same for every process)")
    if settings.push.vapid_private_key is None:
        found.append("push.vapid_private_key is not set: each machine generates its own "
                     "in its data directory (set it, the same for every process)")
    if settings.posting.media_dir is None:
        found.append("posting.media_dir is not set: scheduled photos stay in this "
                     "machine's data directory (point every process at one shared volume)")
    if not settings.redis.url:
        found.append("redis.url is not set: web request budgets, the signed-call replay "
                     "guard and outbound message limits are per process")
    return found


def warn_unshared(settings: Settings) -> None:
    for line in unshared(settings):
        log.warning("scale-out: %s", line)
