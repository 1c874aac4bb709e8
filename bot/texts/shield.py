"""Text for /protect and `thottopilot protect`."""

from __future__ import annotations

from typing import Any

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

# Honest descriptions; the numbers come from bench/imageshield (see README).
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
        "Heavy: stronger reshaping for maximum protection. You may notice a slight "
        "crop or tone change if you compare side by side."
    ),
}

STAGE_READING = "🛡 Protecting… reading your photo"
STAGE_WORKING = "🛡 Protecting… applying {level} protection"
STAGE_DONE = "🛡 Done!"

RESULT = (
    "Here's your protected copy ({level}), sent as a file so nothing recompresses it.\n"
    "Hash match {before}% → {after}%, visual similarity {ssim:.2f}.\n"
    "Location and camera details removed. I don't keep your photo."
)

REJECTED: dict[str, str] = {
    "too_large": "That file is over {limit_mb} MB. Please send a smaller version.",
    "not_image": "That doesn't look like a photo I can read. JPEG, PNG or WebP work best.",
    "truncated": "That image seems cut off (the upload may have failed). Try sending it again?",
    "too_many_pixels": (
        "That image is huge ({megapixels} megapixels). Please send one under "
        "{limit_megapixels} megapixels."
    ),
    "animated": "Animated images can't be protected yet. Please send a still photo.",
    "empty": "That image is empty (zero size). Please send the photo again.",
}
REJECTED_FALLBACK = "I couldn't read that image. Please try another file."


def rejected(code: str, params: dict[str, Any]) -> str:
    template = REJECTED.get(code, REJECTED_FALLBACK)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return REJECTED_FALLBACK
