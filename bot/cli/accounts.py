"""`thottopilot accounts`: connect Reddit accounts without a browser, list them.

`add-reddit` takes either an existing refresh token (for this installation's Reddit
app, or for `--client-id/--client-secret`) or a Reddit "script" app's credentials plus
the account's username and password. The credentials are tried once, then stored
encrypted. Without `--user` both act for the local creator (see `bot.cli.users`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from bot.cli.common import cli_core
from bot.cli.users import acting_user, add_user_option, who_label
from core.errors import UserFacingError
from core.reddit.client import Credentials
from core.settings import Settings
from core.texts import cli as t_cli
from core.texts import reddit as t

PASSWORD_ENV = "THOTTOPILOT_REDDIT_PASSWORD"  # noqa: S105 - the variable's name
REFRESH_TOKEN_ENV = "THOTTOPILOT_REDDIT_REFRESH_TOKEN"  # noqa: S105 - the variable's name
CLIENT_SECRET_ENV = "THOTTOPILOT_REDDIT_APP_SECRET"  # noqa: S105 - the variable's name


def register(sub: Any) -> None:
    parser = sub.add_parser("accounts", help="manage connected Reddit accounts")
    actions = parser.add_subparsers(dest="accounts_action", metavar="ACTION", required=True)
    add = actions.add_parser("add-reddit", help="connect a Reddit account without a browser")
    add_user_option(add)
    add.add_argument("--refresh-token", help=f"an existing Reddit refresh token (or "
                     f"${REFRESH_TOKEN_ENV}, which keeps it out of shell history and ps)")
    add.add_argument("--client-id", help="Reddit app id (default: this installation's app)")
    add.add_argument("--client-secret", help=f"Reddit app secret (or ${CLIENT_SECRET_ENV})")
    add.add_argument("--username", help="Reddit username (script apps)")
    add.add_argument("--password", help=f"Reddit password (script apps; or ${PASSWORD_ENV})")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=add_reddit)
    listing = actions.add_parser("list", help="list a user's Reddit accounts")
    add_user_option(listing)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_accounts)


def credentials_from(args: argparse.Namespace) -> Credentials:
    """Secrets may come from the environment instead of argv (visible in `ps`)."""
    refresh_token = args.refresh_token or os.environ.get(REFRESH_TOKEN_ENV)
    client_secret = args.client_secret or os.environ.get(CLIENT_SECRET_ENV)
    if refresh_token:
        return Credentials("refresh", refresh_token=refresh_token,
                           client_id=args.client_id, client_secret=client_secret)
    password = args.password or os.environ.get(PASSWORD_ENV)
    if not (args.client_id and client_secret and args.username and password):
        raise ValueError("give --refresh-token, or --client-id, --client-secret, --username "
                         "and --password for a Reddit script app")
    return Credentials("script", client_id=args.client_id, client_secret=client_secret,
                       username=args.username, password=password)


async def add_reddit(args: argparse.Namespace, settings: Settings) -> int:
    try:
        creds = credentials_from(args)
    except ValueError as exc:
        print(f"thottopilot accounts: {exc}", file=sys.stderr)
        return 2
    async with cli_core(settings) as core, core.db.session() as session:
        user = await acting_user(core, session, args.user, "accounts")
        if user is None:
            return 2
        try:
            account = await core.reddit.accounts.connect_with(
                session, user.id, creds, auth_kind=creds.kind if creds.kind == "script"
                else "token")
        except UserFacingError as exc:
            print(t.error(exc.code, exc.params), file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps({"account": account.username, "id": account.id}))
        else:
            print(f"connected u/{account.username} (account id {account.id})")
    return 0


async def list_accounts(args: argparse.Namespace, settings: Settings) -> int:
    async with cli_core(settings) as core, core.db.session() as session:
        user = await acting_user(core, session, args.user, "accounts")
        if user is None:
            return 2
        rows = await core.reddit.accounts.list(session, user.id)
        default = await core.reddit.accounts.default(session, user.id)
        items = [{"id": a.id, "account": a.username, "status": a.status, "via": a.auth_kind,
                  "default": default is not None and a.id == default.id} for a in rows]
        who, user_flag = who_label(user, args.user)
    if args.json:
        print(json.dumps(items))
    elif not items:
        print(t_cli.NO_ACCOUNTS.format(who=who, user_flag=user_flag), file=sys.stderr)
    else:
        for item in items:
            mark = "\t(default)" if item["default"] else ""
            print(f"{item['id']}\tu/{item['account']}\t{item['status']}\t{item['via']}{mark}")
    return 0
