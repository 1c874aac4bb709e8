"""`thottopilot protect IN OUT`: protect one photo without a chat (scripts, batch jobs).

Needs no database: only the limits from settings and the image shield. Exit codes: 0 done
(one summary line, or the JSON report with --json), 2 bad input (missing or unreadable
file, not a usable image, unusable OUT path) with one line saying why.

It never loses data: OUT may not be IN under any name (symlink, hard link, relative
path), and OUT is written atomically, so a full disk or a crash leaves an existing OUT
as it was and no partial file behind.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from core.atomicfile import write_atomic
from core.bootstrap import build_imageshield
from core.imageshield import ImageRejected, Level, ProtectedImage
from core.settings import Settings
from core.texts import shield as t

EXIT_OK, EXIT_INPUT = 0, 2
FORMATS = {".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp"}
MAX_SEED = 2**63 - 1  # the range of the seeds reports show (63 random bits)


def register(sub: Any) -> None:
    p = sub.add_parser("protect", help="protect a photo against reverse-image search")
    p.add_argument("input", type=Path, metavar="IN", help="photo to protect (left untouched)")
    p.add_argument("output", type=Path, metavar="OUT", help="where to write the .jpg/.webp")
    p.add_argument("--level", choices=[lv.value for lv in Level], default=Level.STANDARD.value)
    p.add_argument("--watermark", metavar="HANDLE",
                   help="a visible, semi-transparent handle in the bottom-right corner")
    p.add_argument("--seed", type=_seed, help="repeat an earlier protection exactly (default: "
                   "random, so two copies of one photo differ from each other too)")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.set_defaults(handler=run)


def _seed(value: str) -> int:
    try:
        seed = int(value, 10)
    except ValueError:
        seed = -1
    if not 0 <= seed <= MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 0 to {MAX_SEED} (a seed from an earlier report)")
    return seed


class BadInput(Exception):
    """One line for stderr; `code` is the machine-readable reason for --json."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _read(path: Path, max_bytes: int) -> bytes:
    if not path.is_file():
        raise BadInput("missing", t.CLI_CANNOT_READ.format(path=path, reason="no such file"))
    if path.stat().st_size > max_bytes:  # refuse before reading a huge file into memory
        raise BadInput("too_large", f"{path}: {t.rejected('too_large', {'limit': max_bytes})}")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadInput("unreadable", t.CLI_CANNOT_READ.format(
            path=path, reason=exc.strerror or exc)) from exc


def _format_for(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BadInput("bad_output", t.CLI_BAD_SUFFIX.format(path=path))
    if not path.parent.is_dir():
        raise BadInput("bad_output", t.CLI_BAD_OUTPUT.format(path=path, reason="no such folder"))
    if path.is_dir():
        raise BadInput("bad_output", t.CLI_BAD_OUTPUT.format(path=path, reason="it is a folder"))
    return fmt


def _same_file(a: Path, b: Path) -> bool:
    """IN and OUT are one file: same inode (symlinks, hard links, `./x` vs `x`), or OUT
    does not exist yet but names IN's path once resolved."""
    try:
        return a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()


def _refuse_overwriting_input(args: argparse.Namespace) -> None:
    if _same_file(args.input, args.output):
        raise BadInput("same_file", t.CLI_SAME_FILE.format(path=args.output))


async def _protect(args: argparse.Namespace, settings: Settings) -> ProtectedImage:
    _refuse_overwriting_input(args)
    fmt = _format_for(args.output)
    data = _read(args.input, settings.limits.max_upload_bytes)
    shield = build_imageshield(settings)  # no executor: protect_async uses a thread
    try:
        result = await shield.protect_async(data, args.level, output_format=fmt,
                                            watermark=args.watermark, seed=args.seed)
    except ImageRejected as exc:
        raise BadInput(exc.code, f"{args.input}: {t.rejected(exc.code, exc.params)}") from exc
    _refuse_overwriting_input(args)  # again: OUT may have been linked to IN meanwhile
    try:
        write_atomic(args.output, result.data)
    except OSError as exc:
        raise BadInput("bad_output", t.CLI_NOT_WRITTEN.format(
            path=args.output, reason=exc.strerror or exc)) from exc
    return result


async def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        result = await _protect(args, settings)
    except BadInput as exc:
        if args.json:
            print(json.dumps({"ok": False, "error": exc.code, "message": str(exc)}))
        print(f"thottopilot protect: {exc}", file=sys.stderr)
        return EXIT_INPUT
    report = result.report
    if args.json:
        payload = {"ok": True, "output": str(args.output), "mime": result.mime,
                   **report.to_dict()}
        print(json.dumps(payload))
    else:
        print(t.CLI_DONE.format(
            out=args.output, level=report.level, before=t.percent(report.match_before),
            after=t.percent(report.match_after), ssim=report.ssim, ms=report.elapsed_ms))
    return EXIT_OK
