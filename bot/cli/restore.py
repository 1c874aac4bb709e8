"""`thottopilot restore FILE [--force]`: put a backup made by `thottopilot backup` back.

The file is verified first; the current database is saved as a "-before-restore"
backup. It refuses while another process uses the database (stop `serve` and any
worker first); --force restores anyway, for when that detection is wrong (e.g. a
stale PostgreSQL session), at the risk of a half-old, half-new database.
See core.ops.restore.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.settings import Settings

EXIT_FAILED = 1


def register(sub: Any) -> None:
    parser = sub.add_parser("restore", help="restore the database from a backup file")
    parser.add_argument("file", type=Path, help="a file written by `thottopilot backup`")
    parser.add_argument("--force", action="store_true",
                        help="restore even while another process uses the database")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from core.clock import SystemClock
    from core.ops.errors import OpsError
    from core.ops.restore import restore

    if args.force:
        print("warning: --force: not checking whether serve or a worker is using the "
              "database; anything they write meanwhile may be lost or half-restored",
              file=sys.stderr)
    try:
        done = await restore(settings, args.file, SystemClock().now(), force=args.force)
    except OpsError as exc:
        print(f"thottopilot: restore failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if done.safety is not None:
        print(f"the database as it was is saved in {done.safety.path}")
    print(f"restored {done.source} (schema {', '.join(sorted(done.revisions))}); "
          "start the service again (it brings the schema up to date)")
    return 0
