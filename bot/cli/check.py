"""`thottopilot check`: the pre-launch checks, one line each, a fix under each problem.

Exit 0 when nothing failed (warnings are printed but pass; --strict fails on them
too), 1 when something failed. Needs no running service and changes nothing: the
database is looked at, not migrated. The checks live in core.ops.checks.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.settings import Settings

EXIT_FAILED = 1


def register(sub: Any) -> None:
    parser = sub.add_parser("check", help="run the pre-launch checks (exit 1 on any failure)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from core.clock import SystemClock
    from core.ops.checks import Status, run_checks

    results = await run_checks(settings, SystemClock().now())
    for result in results:
        print(result.line)
        if result.hint:
            print(f"    fix: {result.hint}")
    counts = {status: sum(r.status is status for r in results) for status in Status}
    warnings = counts[Status.WARN]
    print(f"{counts[Status.OK]} passed, {warnings} warning{'s' * (warnings != 1)}, "
          f"{counts[Status.FAIL]} failed, {counts[Status.SKIP]} not configured")
    bad = counts[Status.FAIL] + (counts[Status.WARN] if args.strict else 0)
    return EXIT_FAILED if bad else 0
