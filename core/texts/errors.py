"""The one catalogue of error messages: every code core raises (`UserFacingError`,
the image shield's `ImageRejected`, the scheduler's time errors) in warm words, with
the next step from `core.errors.next_step` added when the words don't already name it.
Feature texts keep their tables (captions, reddit, schedule) and are merged here; the
image-protection table lives here outright. tests/test_catalogue.py scans the source so
that no code raised goes without words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import next_step
from core.texts import billing, captions, privacy, reddit, schedule, support

GENERIC = "Sorry, something went wrong on my side. Nothing was lost; please try again in a moment."
NEXT = {
    "caption": "Next: /caption to try again with other words.",
    "connect": "Next: /connect to link your Reddit account again.",
    "post": "Next: /post to try again.",
    "protect": "Next: /protect with another photo.",
    "queue": "Next: /queue shows what's waiting to go out.",
    "help": "Next: /help shows what I can do.",
}

# Image protection (`ImageRejected.code`); catalogued as "image_<code>".
IMAGE: dict[str, str] = {
    "too_large": "That file is over {limit_size}. Please send a smaller version.",
    "not_image": "That doesn't look like a photo I can read. JPEG, PNG or WebP work best.",
    "truncated": "That image seems cut off (the upload may have failed). Try sending it again?",
    "too_many_pixels": (
        "That image is huge{size}. Please send one under {limit_megapixels} megapixels."
    ),
    "animated": "Animated images can't be protected yet. Please send a still photo.",
    "empty": "That image is empty (zero size). Please send the photo again.",
    "too_small": (
        "That image is only {width}×{height} pixels, too small to protect. Please send "
        "the full-size photo (at least {min_side} pixels on each side)."
    ),
    "too_thin": (
        "That image is {width}×{height} pixels, a strip rather than a photo, so it can't "
        "be protected. Up to {max_aspect}:1 works; please send the full photo."
    ),
    "bad_level": "That protection level doesn't exist. Pick Light, Standard or Heavy.",
    "bad_format": "I can save the protected copy as JPEG or WebP only. Please pick one of those.",
    "bad_seed": "That seed can't be used: it must be a whole number from 0 to {max_seed}.",
    "too_big_for_webp": (
        "That image is {width}×{height} pixels, and WebP holds at most {max_side} pixels "
        "a side. Save the protected copy as JPEG instead."
    ),
}

PREFIXED_IMAGE = {f"image_{code}": text for code, text in IMAGE.items()}

MESSAGES: dict[str, str] = {
    "provider_unavailable": "My writing service is having a moment. Please try again shortly.",
    # Discord's CDN link to a kept photo expired and could not be renewed (bot.discord.channel)
    "discord_photo_expired": (
        "That photo has expired on Discord's side, so I can't fetch it any more. "
        "Please send it again: /cancel, then start over with the photo."
    ),
    **reddit.ERRORS,
    **captions.ERRORS,
    **billing.ERRORS,
    **support.ERRORS,
    **privacy.ERRORS,
    **schedule.WHEN_ERRORS,
    **PREFIXED_IMAGE,
}


def render(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The words for `code` (never an internal name), plus the next step."""
    template = MESSAGES.get(code)
    if template is None:
        return GENERIC
    try:
        text = template.format(**dict(params or {}))
    except (KeyError, IndexError, ValueError):
        text = template if "{" not in template else GENERIC
    command = next_step(code)
    if command and f"/{command}" not in text:
        text = f"{text}\n{NEXT[command]}"
    return text
