"""`thottopilot schedule import FILE.csv`: many scheduled posts at once (agencies).

Columns: `subreddit`, `title`, `when` and exactly one of `image` (a path, relative to
the CSV file), `url` or `text`; optional `body`, `nsfw`, `spoiler`, `flair` (template
id), `first_comment`. `when` is read like everywhere else ("tomorrow 9pm", "fri 18:30",
"in 2h", ISO-8601) in the creator's time zone (`--tz` overrides it).

Every row is checked first (time, file, the subreddit's rules) and reported. Nothing
is half-imported: if any row has a problem, no row is scheduled, unless `--partial`
schedules the good ones. Importing the same file again schedules nothing twice.
Exit codes: 0 all imported, 3 some rows refused, 2 bad file/user/account.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from core.bootstrap import Core
    from core.db.models import User
    from core.reddit.models import RedditAccount
    from core.reddit.types import PostRequest
    from core.settings import Settings

EXIT_OK, EXIT_INPUT, EXIT_REFUSED = 0, 2, 3
REQUIRED = ("subreddit", "title", "when")
KINDS = ("image", "url", "text")
YES = ("1", "true", "yes", "y", "x")


def register(sub: Any) -> None:
    from bot.cli.users import add_user_option

    p = sub.add_parser("schedule", help="schedule many posts from a CSV file")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="check and schedule every row of a CSV file")
    imp.add_argument("file", type=Path)
    add_user_option(imp)
    imp.add_argument("--account", help="Reddit account name (default: the user's default)")
    imp.add_argument("--tz", help="time zone the times are in (default: the user's)")
    imp.add_argument("--partial", action="store_true",
                     help="schedule the good rows even when others have problems")
    imp.add_argument("--json", action="store_true", help="machine-readable output")
    imp.set_defaults(handler=run)


@dataclass
class Row:
    number: int  # as a spreadsheet shows it (the header is row 1)
    subreddit: str
    title: str
    when: datetime | None = None
    request: PostRequest | None = None
    problem: str | None = None
    warnings: tuple[str, ...] = ()
    job_id: int | None = None


def _read(path: Path) -> tuple[bytes, list[dict[str, str]]] | str:
    from core.texts import schedule as t

    try:
        raw = path.read_bytes()
    except OSError:
        return t.IMPORT_BAD_FILE.format(path=path)
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig", errors="replace")))
    columns = {c.strip().lower() for c in reader.fieldnames or ()}
    missing = [c for c in REQUIRED if c not in columns]
    if missing or not columns & set(KINDS):
        return t.IMPORT_BAD_HEADER.format(missing=", ".join(missing or ["image/url/text"]))
    rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in r.items()}
            for r in reader]
    return raw, rows


def _request(cells: dict[str, str], base: Path, max_bytes: int) -> PostRequest:
    from core.reddit.types import MediaItem, PostRequest
    from core.texts import schedule as t

    given = [k for k in KINDS if cells.get(k)]
    if len(given) != 1:
        raise ValueError(t.IMPORT_MISSING_KIND)
    kind, value = given[0], cells[given[0]]
    images: tuple[MediaItem, ...] = ()
    if kind == "image":
        path = (base / value).expanduser()
        if not path.is_file() or path.stat().st_size > max_bytes:
            raise ValueError(t.IMPORT_BAD_FILE.format(path=value))
        images = (MediaItem(path.read_bytes(), path.name),)
    return PostRequest(
        subreddit=cells["subreddit"], kind={"url": "link"}.get(kind, kind),
        title=cells["title"], images=images, url=value if kind == "url" else None,
        body=value if kind == "text" else (cells.get("body") or None),
        nsfw=cells.get("nsfw", "").lower() in YES, spoiler=cells.get("spoiler", "").lower() in YES,
        flair_id=cells.get("flair") or None, first_comment=cells.get("first_comment") or None)


async def _check(core: Core, user: User, account: RedditAccount, row: Row,
                 cells: dict[str, str], base: Path, tz: str) -> None:
    """Fill in `row`: its time, its request with auto-fixes, or the problem."""
    from core.posting.when import WhenError, parse_when, tier_horizon
    from core.texts import schedule as t

    try:
        horizon = tier_horizon(core.settings, user.tier)
        row.when = parse_when(cells.get("when", ""), tz, core.clock.now(), horizon_days=horizon)
        request = _request(cells, base, core.settings.limits.max_upload_bytes)
    except WhenError as exc:
        row.problem = t.when_error(exc.code, exc.params)
        return
    except ValueError as exc:
        row.problem = str(exc)
        return
    fixed, problem, warnings = await check_request(core, user, account, request)
    row.request, row.problem, row.warnings = fixed, problem, warnings


async def check_request(core: Core, user: User, account: RedditAccount, request: PostRequest
                        ) -> tuple[PostRequest | None, str | None, tuple[str, ...]]:
    """The subreddit's rules on `request`: (fixed request, None, warnings) or (None,
    problem, ())."""
    from core.errors import UserFacingError
    from core.reddit.check import WARNING
    from core.texts import reddit as tr
    from core.texts import schedule as t
    from core.texts.reddit import error as error_text

    try:
        async with core.db.session() as session:
            rules, _ = await core.reddit.rules_or_saved(session, request.subreddit, account,
                                                        release=session.commit)
            prepared = await core.reddit.prepare(session, user, account, request, rules)
    except UserFacingError as exc:  # no such subreddit, account revoked, Reddit down
        return None, error_text(exc.code, {"subreddit": request.subreddit, **exc.params}), ()
    verdict = prepared.verdict
    if verdict.status in ("blocked", "fixable"):
        reasons = [tr.issue(i.code, i.params) for i in verdict.issues if i.severity != WARNING]
        return None, t.IMPORT_BLOCKED.format(sub=verdict.subreddit,
                                             reason="; ".join(reasons)), ()
    return prepared.request, None, tuple(tr.issue(i.code, i.params)
                                         for i in verdict.of(WARNING))


async def post_at(core: Core, user: User, account: RedditAccount, request: PostRequest,
                  args: argparse.Namespace) -> int:
    """`thottopilot post ... --at TIME`: check, schedule, print the job and exit."""
    from bot.cli.queue import shown
    from core.posting.service import PostingService, TargetSpec
    from core.posting.when import WhenError, parse_when, tier_horizon
    from core.texts import schedule as t

    tz = getattr(args, "tz", None) or user.timezone
    try:
        horizon = tier_horizon(core.settings, user.tier)
        when = parse_when(args.at, tz, core.clock.now(), horizon_days=horizon)
    except WhenError as exc:
        refused = t.when_error(exc.code, exc.params)
        print(json.dumps({"scheduled": False, "error": exc.code, "problem": refused})
              if args.json else f"thottopilot post: {refused}", file=sys.stdout if args.json
              else sys.stderr)
        return EXIT_REFUSED
    fixed, problem, warnings = await check_request(core, user, account, request)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if fixed is None:
        print(json.dumps({"scheduled": False, "problem": problem}) if args.json else problem)
        return EXIT_REFUSED
    view = await PostingService(core).create_job(
        user_id=user.id, account_id=account.id, request=fixed, source="cli", due_at=when,
        targets=[TargetSpec(fixed.subreddit, fixed.title, fixed.flair_id, fixed.flair_text)])
    if args.json:
        print(json.dumps({"scheduled": True, "job_id": view.id,
                          "due_at": view.due_at.isoformat(), "subreddit": fixed.subreddit,
                          "title": fixed.title}))
    else:
        print(t.SCHEDULED.format(job=view.id, sub=fixed.subreddit, when=shown(view.due_at, tz)))
    return 0


async def _account(core: Core, session: AsyncSession, user: User, name: str | None
                   ) -> RedditAccount | None:
    if name:
        return await core.reddit.accounts.find(session, user.id, name)
    return await core.reddit.accounts.default(session, user.id)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.common import cli_core
    from bot.cli.users import acting_user
    from core.posting.service import PostingService, TargetSpec
    from core.texts import cli as t_cli

    read = _read(args.file)
    if isinstance(read, str):
        print(f"thottopilot schedule: {read}", file=sys.stderr)
        return EXIT_INPUT
    raw, cells_list = read
    digest = hashlib.sha256(raw).hexdigest()[:24]
    async with cli_core(settings) as core:
        async with core.db.session() as session:
            user = await acting_user(core, session, args.user, "schedule")
            account = await _account(core, session, user, args.account) if user else None
        if user is None:
            return EXIT_INPUT
        if account is None:
            text = t_cli.NO_ACCOUNTS.format(who=f"user {user.id}", user_flag="")
            print(f"thottopilot schedule: {text}", file=sys.stderr)
            return EXIT_INPUT
        tz = args.tz or user.timezone
        rows = []
        for n, cells in enumerate(cells_list, start=2):
            row = Row(n, cells.get("subreddit", ""), cells.get("title", ""))
            await _check(core, user, account, row, cells, args.file.parent, tz)
            rows.append(row)
        good = [r for r in rows if r.problem is None]
        bad = len(rows) - len(good)
        posting = PostingService(core)
        if bad == 0 or args.partial:
            created: list[int] = []
            try:
                for row in good:
                    assert row.request is not None
                    view = await posting.create_job(
                        user_id=user.id, account_id=account.id, request=row.request,
                        targets=[TargetSpec(row.request.subreddit, row.request.title,
                                            row.request.flair_id, row.request.flair_text)],
                        due_at=row.when, source="import",
                        idempotency_key=f"import:{user.id}:{digest}:{row.number}")
                    row.job_id = view.id
                    created.append(view.id)
            except Exception:
                if not args.partial:  # all or nothing: undo what this run created
                    for job_id in created:
                        await posting.discard(user.id, job_id)
                raise
    _report(args, rows, tz)
    return EXIT_OK if bad == 0 else EXIT_REFUSED


def _report(args: argparse.Namespace, rows: list[Row], tz: str) -> None:
    from bot.cli.queue import shown
    from core.texts import schedule as t

    good = [r for r in rows if r.problem is None]
    imported = [r for r in rows if r.job_id is not None]
    if args.json:
        print(json.dumps({"imported": len(imported), "total": len(rows), "rows": [
            {"row": r.number, "ok": r.problem is None, "job_id": r.job_id,
             "subreddit": r.subreddit, "when": r.when.isoformat() if r.when else None,
             "problem": r.problem, "warnings": list(r.warnings)} for r in rows]}))
        return
    for r in rows:
        if r.problem is None and r.when is not None:
            print(t.IMPORT_ROW_OK.format(row=r.number, sub=r.subreddit, title=r.title,
                                         when=shown(r.when, tz)))
            for warning in r.warnings:
                print(f"  warning: {warning}")
        else:
            print(t.IMPORT_ROW_BAD.format(row=r.number, problem=r.problem))
    if imported or len(good) == len(rows):
        print(t.IMPORT_DONE.format(good=len(imported), total=len(rows)))
    else:
        print(t.IMPORT_NOTHING.format(bad=len(rows) - len(good), total=len(rows),
                                      good=len(good)))
