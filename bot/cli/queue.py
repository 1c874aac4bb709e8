"""`thottopilot queue`: see, cancel and reschedule scheduled posts without a chat.

    thottopilot queue                      upcoming posts (and failed ones to fix)
    thottopilot queue --all                everything, posted and cancelled included
    thottopilot queue cancel JOB
    thottopilot queue reschedule JOB TIME  ("tomorrow 9pm", "fri 18:30", "in 2h", ISO)

Times are shown and read in the creator's time zone (`--tz` overrides it).
Exit codes: 0 done, 2 unknown job or user, 3 the new time was refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.posting.service import JobView
    from core.settings import Settings

EXIT_OK, EXIT_INPUT, EXIT_REFUSED = 0, 2, 3


def register(sub: Any) -> None:
    from bot.cli.users import add_user_option

    p = sub.add_parser("queue", help="list, cancel and reschedule scheduled posts")
    add_user_option(p)
    p.add_argument("--all", action="store_true", help="include posted and cancelled posts")
    p.add_argument("--tz", help="time zone for times shown and read (default: the user's)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    cancel = actions.add_parser("cancel", help="cancel a scheduled post")
    cancel.add_argument("job", type=int)
    again = actions.add_parser("reschedule", help="move a scheduled post to another time")
    again.add_argument("job", type=int)
    again.add_argument("time", nargs="+", help='e.g. "tomorrow 9pm", "fri 18:30", "in 2h"')
    p.set_defaults(handler=run)


def shown(when: datetime, tz: str) -> str:
    from core.posting.when import zone

    return when.astimezone(zone(tz)).strftime("%a %d %b %H:%M")


def job_json(view: JobView) -> dict[str, Any]:
    return {"job_id": view.id, "kind": view.kind, "due_at": view.due_at.isoformat(),
            "targets": [{"id": t.id, "subreddit": t.subreddit, "title": t.title,
                         "due_at": t.due_at.isoformat(), "state": t.state,
                         "link": t.permalink, "error": t.error} for t in view.targets]}


def job_lines(view: JobView, tz: str) -> list[str]:
    from core.texts import schedule as t

    lines = []
    for target in view.targets:
        extra = f"  {target.permalink}" if target.permalink else (
            f"  ({target.error})" if target.error and target.state == "failed" else "")
        lines.append(t.QUEUE_LINE.format(job=view.id, when=shown(target.due_at, tz),
                                         sub=target.subreddit,
                                         state=t.STATES.get(target.state, target.state),
                                         title=target.title, extra=extra))
    return lines


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.common import cli_core
    from bot.cli.users import acting_user, who_label
    from core.posting.service import PostingService
    from core.posting.when import WhenError, parse_when, tier_horizon
    from core.texts import schedule as t

    async with cli_core(settings) as core:
        async with core.db.session() as session:
            user = await acting_user(core, session, args.user, "queue")
        if user is None:
            return EXIT_INPUT
        tz = args.tz or user.timezone
        posting = PostingService(core)
        if args.action is None:
            views = await posting.list_jobs(user.id, include_done=args.all)
            if args.json:
                print(json.dumps({"jobs": [job_json(v) for v in views]}))
            else:
                print("\n".join(line for v in views for line in job_lines(v, tz))
                      or t.QUEUE_EMPTY)
            return EXIT_OK
        try:
            if args.action == "cancel":
                view = await posting.cancel(user.id, args.job)
            else:
                horizon = tier_horizon(settings, user.tier)
                when = parse_when(" ".join(args.time), tz, core.clock.now(),
                                  horizon_days=horizon)
                view = await posting.reschedule(user.id, args.job, when)
        except WhenError as exc:
            print(f"thottopilot queue: {t.when_error(exc.code, exc.params)}", file=sys.stderr)
            return EXIT_REFUSED
        if view is None:
            who, user_flag = who_label(user, args.user)
            text = t.QUEUE_NO_JOB.format(job=args.job, who=who, user_flag=user_flag)
            print(f"thottopilot queue: {text}", file=sys.stderr)
            return EXIT_INPUT
        if args.json:
            print(json.dumps(job_json(view)))
        elif args.action == "cancel":
            print(t.cancelled(view.id, [tv.subreddit for tv in posting.still_out(view)]))
        else:
            print(t.RESCHEDULED.format(job=view.id, when=shown(view.due_at, tz)))
        return EXIT_OK
