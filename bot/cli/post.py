"""`thottopilot post`: rule-check and post to Reddit without a chat (agencies, scripts).

Exit codes: 0 posted (link on stdout), 3 the rule check stopped it (verdict printed),
1 Reddit refused or failed, 2 bad input (unknown user/account, unreadable file).

Without `--user` it posts as the local creator, and without `--account` from their
default Reddit account, so a fresh install needs no id. For the local creator, `--nsfw`
is the operator's own 18+ confirmation (as in `thottopilot caption`); a chat user's
adult opt-in only ever comes from that user, in the chat.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.common import cli_core
from bot.cli.users import acting_user, add_user_option, who_label
from core.reddit.check import WARNING, Issue
from core.reddit.service import PostOutcome, Prepared
from core.reddit.types import MediaItem, PostRequest
from core.settings import Settings
from core.texts import cli as t_cli
from core.texts import reddit as t

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from core.bootstrap import Core
    from core.db.models import User
    from core.reddit.models import RedditAccount

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_BLOCKED = 0, 1, 2, 3


def register(sub: Any) -> None:
    p = sub.add_parser("post", help="rule-check and post to Reddit")
    add_user_option(p)
    p.add_argument("--account", help="connected Reddit account name (default: the user's "
                   "default account, or their only one)")
    p.add_argument("--subreddit", required=True)
    p.add_argument("--title", required=True)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--image", type=Path)
    what.add_argument("--gallery", type=Path, nargs="+", metavar="FILE")
    what.add_argument("--url")
    what.add_argument("--text")
    p.add_argument("--captions", nargs="+", default=[], help="gallery captions, in order")
    p.add_argument("--body", help="optional text under an image, gallery or link post")
    p.add_argument("--nsfw", action="store_true")
    p.add_argument("--spoiler", action="store_true")
    p.add_argument("--flair", help="flair template id")
    p.add_argument("--first-comment")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--at", metavar="TIME", help='schedule instead of posting now: "tomorrow '
                   '9pm", "fri 18:30", "in 2h", ISO-8601 (in --tz or the user\'s zone)')
    p.add_argument("--tz", help="time zone for --at (default: the user's)")
    p.set_defaults(handler=run)


def build_request(args: argparse.Namespace, max_bytes: int) -> PostRequest:
    files = [args.image] if args.image else list(args.gallery or [])
    images = []
    for n, path in enumerate(files):
        if not path.is_file() or path.stat().st_size > max_bytes:
            raise ValueError(f"cannot use {path}: missing or larger than {max_bytes} bytes")
        caption = args.captions[n] if n < len(args.captions) else ""
        images.append(MediaItem(path.read_bytes(), path.name, caption))
    kind = "image" if args.image else "gallery" if args.gallery else "link" if args.url else "text"
    return PostRequest(
        subreddit=args.subreddit, kind=kind, title=args.title, images=tuple(images),
        url=args.url, body=args.text if kind == "text" else args.body, nsfw=args.nsfw,
        spoiler=args.spoiler, flair_id=args.flair, first_comment=args.first_comment,
    )


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str, *, err: bool = False
          ) -> None:
    out = sys.stderr if err and not args.json else sys.stdout
    print(json.dumps(payload, default=str) if args.json else text, file=out)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        request = build_request(args, settings.limits.max_upload_bytes)
    except (OSError, ValueError) as exc:
        print(f"thottopilot post: {exc}", file=sys.stderr)
        return EXIT_INPUT
    async with cli_core(settings) as core, core.db.session() as session:
        user = await acting_user(core, session, args.user, "post")
        if user is None:
            return EXIT_INPUT
        account = await _account(core, session, user, args)
        if account is None:
            return EXIT_INPUT
        if args.user is None and args.nsfw and not user.may_see_nsfw:
            await core.users.confirm_adult(session, user)
            await core.users.set_nsfw(session, user, True)
        if args.at:  # the posting engine's queue (bot/cli/schedule.py)
            from bot.cli.schedule import post_at

            await session.commit()
            return await post_at(core, user, account, request, args)
        await session.commit()  # nothing is held while Reddit is asked (rules, submit)
        if (busy := await _budget(core, args, request)) is not None:
            return busy
        outcome = await core.reddit.post(session, user, account, request,
                                         confirm_warnings=True, release=session.commit)
        return _report(args, outcome)


async def _budget(core: Core, args: argparse.Namespace, request: PostRequest) -> int | None:
    """Take the post's requests from the Reddit budget every process of this install
    shares (as the posting engine does); None when taken, else the exit code after
    saying when to try again."""
    from core.posting.budget import ApiBudgetLedger
    from core.posting.engine import cost

    wait = await ApiBudgetLedger.for_core(core).reserve(cost(request))
    if wait <= 0:
        return None
    params = {"seconds": math.ceil(wait)}
    _emit(args, {"posted": False, "error": "reddit_busy", "params": params, "verdict": None},
          t.error("reddit_busy", params), err=True)
    return EXIT_FAILED


async def _account(
    core: Core, session: AsyncSession, user: User, args: argparse.Namespace
) -> RedditAccount | None:
    """The named account, else the default; None after saying what to do next."""
    accounts = core.reddit.accounts
    if args.account:
        account = await accounts.find(session, user.id, args.account)
    else:
        account = await accounts.default(session, user.id)
    if account is not None:
        return account
    who, user_flag = who_label(user, args.user)
    names = [f"u/{a.username}" for a in await accounts.list(session, user.id)]
    if not names:
        text = t_cli.NO_ACCOUNTS.format(who=who, user_flag=user_flag)
    elif args.account:
        text = t_cli.UNKNOWN_ACCOUNT.format(account=args.account, who=who,
                                            names=", ".join(names), user_flag=user_flag)
    else:
        text = t_cli.NO_DEFAULT_ACCOUNT.format(who=who, names=", ".join(names))
    print(f"thottopilot post: {text}", file=sys.stderr)
    return None


def _describe(issue: Issue, prepared: Prepared) -> str:
    """One verdict line; a flair choice names the `--flair` ids with their labels."""
    if issue.fix == "choose_flair":
        labels = {f.id: f.text for f in prepared.rules.flairs}
        choices = ", ".join(f"{fid} ({labels.get(fid, '?')})" for fid in issue.options)
        return t.CLI_PICK_FLAIR.format(choices=choices)
    text = t.issue(issue.code, issue.params)
    return text + (f" (options: {', '.join(issue.options)})" if issue.options else "")


def _report(args: argparse.Namespace, outcome: PostOutcome) -> int:
    prepared, result = outcome.prepared, outcome.result
    verdict = prepared.verdict.to_dict() if prepared else None
    if prepared is not None:
        for issue in prepared.verdict.of(WARNING):
            print(f"warning: {t.issue(issue.code, issue.params)}", file=sys.stderr)
    if result is None:
        assert prepared is not None
        lines = [f"r/{prepared.verdict.subreddit}: {prepared.verdict.status}"]
        lines += [f"- {i.severity}: {_describe(i, prepared)}"
                  for i in prepared.verdict.issues if i.severity != WARNING]
        _emit(args, {"posted": False, "verdict": verdict}, "\n".join(lines))
        return EXIT_BLOCKED
    if not result.ok:
        reason = t.error(result.error or "reddit_rejected", result.params)
        _emit(args, {"posted": False, "error": result.error, "params": result.params,
                     "verdict": verdict}, reason, err=True)
        return EXIT_FAILED
    payload = {"posted": True, "link": result.permalink, "id": result.reddit_id,
               "title": prepared.request.title if prepared else None,
               "fixed": list(prepared.fixed) if prepared else [],
               "comment_error": result.comment_error}
    _emit(args, payload, result.permalink or t.POSTED_NO_LINK.format(sub=result.subreddit))
    return EXIT_OK
