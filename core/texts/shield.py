"""Text for /protect and `thottopilot protect`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.texts import errors

HELP_LINE = "/protect – shield a photo from reverse-image search"
MENU_LABEL = "🛡 Protect a photo"
UPLOAD_LABEL = "🛡 Protect it"

ASK_PHOTO = (
    "Send me the photo to protect. Tip: send it as a file (📎 → File) so it keeps full "
    "quality; photos sent normally get compressed by the app."
)
NOT_A_PHOTO_YET = "I need a photo for this step. Send one, or /cancel."
PICK_LEVEL = "How strong should the protection be? Tap ℹ️ to see what each level does."
LEVEL_NAMES = {"light": "Light", "standard": "Standard", "heavy": "Heavy"}
INFO_LABEL = "ℹ️ {name}"
USE_LEVEL = "Use {name}"

# One-line summaries; the detail under them comes from core's LEVEL_FACTS.
LEVEL_INFO = {
    "light": (
        "Light: invisible changes and all metadata (location, camera) removed. Breaks "
        "exact-copy and some near-copy matching. Best when quality matters most."
    ),
    "standard": (
        "Standard (recommended): tiny geometry and tone changes plus a hidden pattern "
        "aimed at the hashes reverse-image search uses. Looks the same to people."
    ),
    "heavy": (
        "Heavy: mirrors the photo left-right (text reads backwards), crops a little more "
        "and adds the strongest hidden pattern. Maximum protection, visibly flipped."
    ),
}
LEVEL_DETAIL = (
    "{summary}\n\n"
    "What it changes: {does}\n\n"
    "What it beats: {defeats}\n\n"
    "What it doesn't: {does_not}\n\n"
    "After protecting I show you the measured result for your photo."
)

STAGE_READING = "🛡 Protecting… reading your photo"
STAGE_WORKING = "🛡 Protecting… applying {level} protection"
STAGE_DONE = "🛡 Done!"

RESULT = (
    "Here's your protected copy ({level}), sent as a file so nothing recompresses it.\n"
    "Hash match {before}% → {after}%, visual similarity {ssim:.2f}.\n"
    "Location and camera details removed. I don't keep your photo."
)
RESULT_MIRRORED = "It's mirrored left-right, so any text in it reads backwards."
PROTECT_ANOTHER = "🛡 Protect another photo"
TRY_ANOTHER = "Send another photo, or /cancel."

REJECTED_FALLBACK = "I couldn't read that image. Please try another file."

# `thottopilot protect`
CLI_DONE = "{out}: {level}, hash match {before}% → {after}%, SSIM {ssim:.3f}, {ms:.0f} ms"
CLI_CANNOT_READ = "cannot read {path}: {reason}"
CLI_BAD_OUTPUT = "cannot write {path}: {reason}"
CLI_BAD_SUFFIX = "{path}: the protected copy is JPEG or WebP; end OUT in .jpg, .jpeg or .webp"
CLI_SAME_FILE = (
    "{path} is the photo being protected; write the copy to another file (IN is never "
    "overwritten)"
)
CLI_NOT_WRITTEN = "cannot write {path}: {reason}. Nothing was changed there."


def percent(share: float) -> int:
    return round(share * 100)


def size(n: int) -> str:
    """20971520 -> "20 MB", 1500000 -> "1.4 MB", 1000 -> "1000 bytes"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{round(n / scale, 1):g} {unit}"
    return f"{n} bytes"


def rejected(code: str, params: Mapping[str, Any]) -> str:
    """Friendly words for an `ImageRejected` code (or a too-large download)."""
    template = errors.IMAGE.get(code, REJECTED_FALLBACK)
    values = dict(params)
    limit = values.get("limit")
    if code == "too_large" and isinstance(limit, int):
        values["limit_size"] = size(limit)
    if code == "too_many_pixels" and isinstance(limit, int):
        values["limit_megapixels"] = max(1, round(limit / 1_000_000))
        pixels = values.get("pixels")
        values["size"] = f" ({round(pixels / 1_000_000)} megapixels)" if pixels else ""
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return REJECTED_FALLBACK
