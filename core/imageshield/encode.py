"""Re-encoding: metadata-free output at a quality that keeps the file near input size."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from core.imageshield.errors import ImageRejected

MIME = {"JPEG": ("image/jpeg", "jpg"), "WEBP": ("image/webp", "webp")}


@dataclass(frozen=True)
class Encoded:
    data: bytes
    fmt: str
    quality: int

    @property
    def mime(self) -> str:
        return MIME[self.fmt][0]

    @property
    def ext(self) -> str:
        return MIME[self.fmt][1]


def choose_format(requested: str, source_format: str) -> str:
    fmt = requested.strip().upper()
    if fmt == "AUTO":
        return "WEBP" if source_format == "WEBP" else "JPEG"
    if fmt in {"JPG", "JPEG"}:
        return "JPEG"
    if fmt == "WEBP":
        return "WEBP"
    raise ImageRejected("bad_format", f"unsupported output format {requested!r}",
                        format=requested, allowed=["auto", "jpeg", "webp"])


WEBP_MAX_SIDE = 16383  # the WebP format's limit, in pixels per side


def check_fits(fmt: str, size: tuple[int, int]) -> None:
    """Refuse, before any work, a picture the chosen format cannot hold (the shield's
    output is never larger than its input)."""
    width, height = size
    if fmt == "WEBP" and max(width, height) > WEBP_MAX_SIDE:
        raise ImageRejected("too_big_for_webp", "a side over the WebP limit", width=width,
                            height=height, max_side=WEBP_MAX_SIDE)


def _save(img: Image.Image, fmt: str, quality: int) -> bytes:
    buf = io.BytesIO()
    if fmt == "JPEG":
        # No exif/icc_profile arguments: nothing from the source survives.
        img.save(buf, "JPEG", quality=quality, optimize=True, subsampling="4:2:0")
    else:
        img.save(buf, "WEBP", quality=quality, method=4)
    return buf.getvalue()


def encode(img: Image.Image, fmt: str, source_quality: int | None,
           size_budget: int | None) -> Encoded:
    """Encode at about the source quality; step down if the file grew past the budget.

    ``size_budget`` is None for lossless or tiny sources, where any sane JPEG is fine.
    """
    quality = min(max(source_quality or 90, 70), 92) if fmt == "JPEG" else 85
    data = _save(img, fmt, quality)
    while size_budget is not None and len(data) > size_budget and quality > 60:
        quality -= 8
        data = _save(img, fmt, quality)
    return Encoded(data, fmt, quality)
