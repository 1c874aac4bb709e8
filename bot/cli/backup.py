"""`thottopilot backup [--to DIR]`: a consistent, private (0600) copy of the database.

Written atomically under a timestamped name into `<data_dir>/backups` (or
`[ops] backup_dir`, or --to). Safe while the service runs. See core.ops.backup.
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
    parser = sub.add_parser("backup", help="back the database up (safe while serving)")
    parser.add_argument("--to", type=Path, metavar="DIR",
                        help="directory to write into (default: <data_dir>/backups)")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from core.clock import SystemClock
    from core.ops.backup import take_backup
    from core.ops.errors import OpsError

    try:
        made = await take_backup(settings, SystemClock().now(), to=args.to)
    except OpsError as exc:
        print(f"thottopilot: backup failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    size = made.path.stat().st_size
    print(f"backed up the {made.dialect} database to {made.path} ({size:,} bytes)")
    if settings.security.secret_key is None:
        print(f"keep {settings.app.data_dir / 'secret_key'} safe too: stored Reddit tokens "
              "are encrypted with it")
    return 0
