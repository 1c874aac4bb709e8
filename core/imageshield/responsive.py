"""Responsive image set for the web companion: thumbnail, widths, blurred placeholder.

Every rendition comes from the validated, metadata-free picture (via `load_image`), in
WebP with a JPEG fallback for old browsers. Nothing is upscaled: widths larger than the
source are skipped (the source width itself is added instead so a full-size one exists).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from PIL import Image, ImageFilter

from core.imageshield.loader import ShieldLimits, load_image

THUMB_SIZE = 150
WIDTHS = (640, 1024, 1920)


@dataclass(frozen=True)
class ResponsiveImage:
    width: int
    height: int
    webp: bytes
    jpeg: bytes
    role: str  # "thumbnail" or "width"


@dataclass(frozen=True)
class ResponsiveSet:
    renditions: tuple[ResponsiveImage, ...]
    placeholder_data_uri: str
    source_width: int
    source_height: int

    @property
    def thumbnail(self) -> ResponsiveImage:
        return next(r for r in self.renditions if r.role == "thumbnail")

    @property
    def widths(self) -> tuple[ResponsiveImage, ...]:
        return tuple(r for r in self.renditions if r.role == "width")


def _encode_pair(img: Image.Image, quality: int) -> tuple[bytes, bytes]:
    webp, jpeg = io.BytesIO(), io.BytesIO()
    img.save(webp, "WEBP", quality=quality, method=4)
    img.save(jpeg, "JPEG", quality=quality, optimize=True, progressive=True)
    return webp.getvalue(), jpeg.getvalue()


def _placeholder(img: Image.Image) -> str:
    """~16 px wide blurred JPEG as a data URI (a few hundred bytes)."""
    tiny = img.copy()
    tiny.thumbnail((16, 16), Image.Resampling.BOX)
    tiny = tiny.filter(ImageFilter.GaussianBlur(1))
    buf = io.BytesIO()
    tiny.save(buf, "JPEG", quality=40)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def build_responsive(data: bytes, limits: ShieldLimits | None = None,
                     widths: tuple[int, ...] = WIDTHS, quality: int = 80) -> ResponsiveSet:
    """Renditions of ``data``; raises `ImageRejected` like the shield does."""
    img = load_image(data, limits).image
    out: list[ResponsiveImage] = []
    thumb = img.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS)
    out.append(ResponsiveImage(thumb.width, thumb.height, *_encode_pair(thumb, quality),
                               role="thumbnail"))
    targets = sorted({w for w in widths if w < img.width} | {min(img.width, max(widths))})
    for width in targets:
        height = max(1, round(img.height * width / img.width))
        scaled = img if width == img.width else img.resize(
            (width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        out.append(ResponsiveImage(width, height, *_encode_pair(scaled, quality),
                                   role="width"))
    return ResponsiveSet(tuple(out), _placeholder(img), img.width, img.height)
