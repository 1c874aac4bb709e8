"""Look at a photo without a vision model: light, warmth and shape become hints the
offline writer can use ("golden hour", "moody"), and a small JPEG copy goes to vision-
capable providers. Pillow only; the pixel limit guards against decompression bombs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import UserFacingError

if TYPE_CHECKING:
    from PIL import Image

_SEND_SIDE = 768


@dataclass(frozen=True)
class PhotoNotes:
    hints: tuple[str, ...]
    jpeg: bytes


def read_photo(data: bytes, max_pixels: int) -> PhotoNotes:
    """Hints plus a re-encoded small JPEG; `UserFacingError("caption_bad_image")` if the
    bytes are not a picture we can read."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # with the first photo

    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > max_pixels:
                raise UserFacingError("caption_bad_image")
            img.draft("RGB", (_SEND_SIDE, _SEND_SIDE))
            # upright as shown (a phone's portrait is stored sideways, EXIF says so)
            rgb = ImageOps.exif_transpose(img.convert("RGB"))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise UserFacingError("caption_bad_image") from exc
    rgb.thumbnail((_SEND_SIDE, _SEND_SIDE))
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=80)
    return PhotoNotes(hints=_hints(rgb), jpeg=out.getvalue())


def _hints(img: Image.Image) -> tuple[str, ...]:
    from PIL import ImageStat

    small = img.resize((32, 32))
    red, green, blue = ImageStat.Stat(small).mean
    brightness = 0.299 * red + 0.587 * green + 0.114 * blue
    warmth = red - blue
    hints: list[str] = []
    if brightness < 70:
        hints += ["night", "moody"]
    elif warmth > 35 and brightness < 170:
        hints += ["golden hour", "warm light"]
    elif brightness > 190:
        hints += ["bright", "airy"]
    if warmth < -25:
        hints.append("cool tones")
    if img.height > img.width * 1.2:
        hints.append("portrait")
    elif img.width > img.height * 1.2:
        hints.append("landscape")
    return tuple(hints)
