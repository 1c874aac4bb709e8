"""`thottopilot caption`: titles and captions from the command line (scripts, agencies,
trying a provider out). Works with zero configuration: SQLite in the data directory and
the offline writer.

The command runs as the local operator, not as a chat user: no daily quota, no
history, and `--nsfw` is the operator's own 18+ confirmation (see its help). The safety
gate applies exactly as in chat.

Exit codes: 0 options printed, 2 bad input (empty description, unreadable photo), 3
refused by the safety gate (the friendly reason on stderr). With `--json` a failure is
also a JSON object on stdout, `{"ok": false, "error": CODE, "message": TEXT}`, so a
script reading stdout never has to parse an empty string.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import cli_core
from bot.conversation.events import clean_text
from bot.flows.caption_render import pasteable
from core.captions import CaptionBatch, CaptionBrief, CaptionRefused, Length, Platform
from core.captions.catalog import PERSONAS, STYLES, TONES, keys
from core.captions.types import DEFAULT_STYLE, DEFAULT_TONE, PromoMode
from core.errors import UserFacingError
from core.settings import Settings
from core.texts import captions as t
from core.texts import cli as t_cli
from core.texts import common

EXIT_OK, EXIT_INPUT, EXIT_REFUSED = 0, 2, 3
MAX_COUNT = 10
NSFW_HELP = (
    "adult captions (suggestive, never graphic) and adult personas. There is no chat user "
    "to confirm their age here, so passing --nsfw is the operator's confirmation that the "
    "content is adult-only and everyone in it is 18+ and consenting. The safety gate still "
    "refuses anything involving minors, non-consent, incest, animals or real people."
)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "caption", help="write titles and captions for a post",
        description="Write caption options for a post. Exit 0: printed; 2: bad input; "
        "3: refused by the safety gate (reason on stderr).",
    )
    p.add_argument("description", help='what the post shows, e.g. "red dress, rooftop at sunset"')
    p.add_argument("--platform", choices=[p.value for p in Platform], default="reddit")
    p.add_argument("--subreddit", help="fit titles to this subreddit's rules (e.g. selfie)")
    p.add_argument("--tone", choices=keys(TONES), default=DEFAULT_TONE)
    p.add_argument("--style", choices=keys(STYLES), default=DEFAULT_STYLE)
    p.add_argument("--persona", choices=keys(PERSONAS), help="adult personas need --nsfw")
    p.add_argument("--length", choices=[v.value for v in Length], default=Length.MEDIUM.value)
    p.add_argument("--image", type=Path, help="a photo to take hints from (and to show "
                   "vision-capable providers)")
    p.add_argument("--promo", choices=[m.value for m in PromoMode], default="none",
                   help="self-promotion: none, subtle (a hint), explicit (a call to action "
                   "with --link)")
    p.add_argument("--link", help="the creator's own link for --promo explicit (https://...)")
    p.add_argument("--nsfw", action="store_true", help=NSFW_HELP)
    p.add_argument("--count", type=_count, default=3, help=f"how many options, 1-{MAX_COUNT}")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=run)


def _count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_COUNT}")
    return count


def brief_from(args: argparse.Namespace) -> CaptionBrief:
    return CaptionBrief(
        description=args.description, platform=Platform(args.platform),
        subreddit=args.subreddit, tone=args.tone, style=args.style, persona=args.persona,
        nsfw=args.nsfw, count=args.count, length=Length(args.length),
        promo=PromoMode(args.promo), link=args.link,
    )


def _read_image(path: Path | None, max_bytes: int) -> bytes | None:
    if path is None:
        return None
    if not path.is_file() or path.stat().st_size > max_bytes:
        raise ValueError(f"cannot use {path}: missing or larger than {max_bytes} bytes")
    return path.read_bytes()


def _fail(args: argparse.Namespace, code: int, error: str, message: str,
          **extra: Any) -> int:
    """The reason on stderr; with --json also as an object on stdout."""
    if args.json:
        print(json.dumps({"ok": False, "error": error, "message": message, **extra},
                         ensure_ascii=False))
    print(message if code == EXIT_REFUSED else f"thottopilot caption: {message}",
          file=sys.stderr)
    return code


async def run(args: argparse.Namespace, settings: Settings) -> int:
    # Bytes that aren't UTF-8 reach argv as lone surrogates, which nothing can store.
    args.description = clean_text(args.description)
    if not any(ch.isalnum() for ch in args.description):
        return _fail(args, EXIT_INPUT, "empty_description", t_cli.CAPTION_EMPTY)
    try:
        image = _read_image(args.image, settings.limits.max_upload_bytes)
    except (OSError, ValueError) as exc:
        return _fail(args, EXIT_INPUT, "bad_image", str(exc))
    async with cli_core(settings) as core, core.db.session() as session:
        try:
            batch = await core.captions.generate(
                session, None, brief_from(args), image=image, allow_nsfw=args.nsfw
            )
        except CaptionRefused as exc:
            return _fail(args, EXIT_REFUSED, "refused", t.refused(exc.category),
                         category=exc.category)
        except UserFacingError as exc:
            return _fail(args, EXIT_INPUT, exc.code, common.render_error(exc))
    _report(args, batch)
    return EXIT_OK


def _report(args: argparse.Namespace, batch: CaptionBatch) -> None:
    if batch.degraded:
        tried = ", ".join(batch.attempts)
        print(f"note: written by {batch.provider}; earlier providers failed ({tried})",
              file=sys.stderr)
    if batch.nsfw_downgraded:
        print("note: kept SFW; adult captions and personas need --nsfw", file=sys.stderr)
    if args.json:
        options = [{**_without_id(o.to_dict()), "text": pasteable(o)} for o in batch.options]
        print(json.dumps({"ok": True, "options": options, "provider": batch.provider,
                          "degraded": batch.degraded}, ensure_ascii=False))
        return
    print("\n\n".join(f"{n}. {pasteable(o)}" for n, o in enumerate(batch.options, 1)))


def _without_id(data: dict[str, Any]) -> dict[str, Any]:
    """Options from the CLI are not stored, so they have no id to refer to."""
    return {key: value for key, value in data.items() if key != "id"}
