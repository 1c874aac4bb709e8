"""`thottopilot users`: who is on this installation, and how to name them with --user.

Also home of `acting_user`, which every command that acts for a creator uses: without
`--user` it is the local creator (the one `thottopilot chat` talks as, created on first
use), so a fresh install needs no id at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from bot.cli.common import cli_core
from core.settings import Settings
from core.texts import cli as t
from core.users import local_who

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from core.bootstrap import Core
    from core.db.models import User


def register(sub: Any) -> None:
    p = sub.add_parser("users", help="list users and their ids (for --user)")
    p.add_argument("--find", metavar="TEXT",
                   help="only users whose name, chat handle or chat id contains TEXT")
    p.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=run)


def add_user_option(parser: Any) -> None:
    """`--user ID`, optional everywhere: the default is the local creator."""
    parser.add_argument("--user", type=int, default=None, help=t.USER_HELP)


async def acting_user(
    core: Core, session: AsyncSession, user_id: int | None, command: str
) -> User | None:
    """The user a command acts for, or None after printing what to do next."""
    if user_id is None:
        return await core.users.local_creator(session)
    user = await core.users.get(session, user_id)
    if user is None:
        print(f"thottopilot {command}: {t.UNKNOWN_USER.format(user_id=user_id)}",
              file=sys.stderr)
    return user


def who_label(user: User, explicit: int | None) -> tuple[str, str]:
    """How messages name the user, and the `--user N` to repeat in a suggested command."""
    if explicit is None:
        return t.LOCAL_CREATOR.format(user_id=user.id), ""
    return t.OTHER_USER.format(user_id=user.id), f" --user {user.id}"


async def run(args: argparse.Namespace, settings: Settings) -> int:
    async with cli_core(settings) as core, core.db.session() as session:
        summaries = await core.users.directory(session, search=args.find,
                                               limit=max(1, args.limit))
        defaults: dict[int, str | None] = {}
        for s in summaries:
            account = await core.reddit.accounts.default(session, s.id)
            defaults[s.id] = account.username if account else None
        local = await core.users.find_local(session)
    name = local_who().external_id
    if args.json:
        print(json.dumps({
            "users": [{"id": s.id, "name": s.display_name, "identities": list(s.identities),
                       "created": s.created_at.isoformat(), "default_account": defaults[s.id],
                       "local_creator": local is not None and s.id == local.id}
                      for s in summaries],
            "local_creator": {"id": local.id if local else None, "name": name},
        }))
        return 0
    if summaries:
        print(t.USERS_HEADER)
        for s in summaries:
            shown = f"u/{defaults[s.id]}" if defaults[s.id] else "-"
            print(f"{s.id}\t{s.created_at:%Y-%m-%d}\t{shown}\t{', '.join(s.identities)}")
    else:
        print(t.USERS_NONE_MATCHING.format(search=args.find) if args.find else t.USERS_NONE)
    local_text = (t.LOCAL_IS.format(name=name, user_id=local.id) if local
                  else t.LOCAL_NOT_YET.format(name=name))
    print(t.USERS_HINT.format(local=local_text), file=sys.stderr)
    return 0
