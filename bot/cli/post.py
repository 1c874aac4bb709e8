"""`thottopilot post`: rule-check and post to Reddit without a chat (agencies, scripts).

Exit codes: 0 posted (link on stdout), 3 the rule check stopped it (verdict printed),
1 Reddit refused or failed, 2 bad input (unknown user/account, unreadable file).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import cli_core
from bot.texts import reddit as t
from core.reddit.check import WARNING, Issue
from core.reddit.service import PostOutcome, Prepared
from core.reddit.types import MediaItem, PostRequest
from core.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_BLOCKED = 0, 1, 2, 3


def register(sub: Any) -> None:
    p = sub.add_parser("post", help="rule-check and post to Reddit")
    p.add_argument("--user", type=int, required=True, help="ThottoPilot user id")
    p.add_argument("--account", required=True, help="connected Reddit account name")
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
        user = await core.users.get(session, args.user)
        account = user and await core.reddit.accounts.find(session, user.id, args.account)
        if user is None or account is None:
            what = "user" if user is None else f"account {args.account!r} for user"
            print(f"thottopilot post: no {what} {args.user}", file=sys.stderr)
            return EXIT_INPUT
        outcome = await core.reddit.post(session, user, account, request, confirm_warnings=True)
        return _report(args, outcome)


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
