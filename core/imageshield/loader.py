"""Validate and decode untrusted image bytes into a clean sRGB picture.

Order matters for safety: size limit on the bytes, then the header is parsed *without*
decoding pixels to check dimensions and frame count (so a 60000x60000 PNG costs nothing),
and only then are pixels decoded. Pillow's own bomb guard is applied per call through the
limit we pass, never by mutating ``Image.MAX_IMAGE_PIXELS`` globally.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, UnidentifiedImageError

from core.imageshield.errors import ImageRejected
from core.imageshield.spec import ShieldLimits

# Pillow decoders we accept: photographs people actually send.
ORIENTATION_TAG = 0x0112
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF"})  # MPO opens via JPEG
_TRANSPOSE = {  # EXIF orientation -> the turn that shows the picture upright
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class LoadedImage:
    """A decoded, upright, 8-bit sRGB RGB picture plus facts about the original file."""

    image: Image.Image
    source_format: str
    source_bytes: int
    jpeg_quality: int | None


def estimate_jpeg_quality(img: Image.Image) -> int | None:
    """Approximate libjpeg quality from the luminance quantisation table.

    Re-encoding at (about) the source quality keeps the output near the input size.
    """
    tables = getattr(img, "quantization", None)
    if not tables or 0 not in tables:
        return None
    # libjpeg's standard luminance table, first row and column dominate the estimate.
    std = (16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55)
    table = list(tables[0])[: len(std)]
    scale = sum(t * 100.0 / s for t, s in zip(table, std, strict=False)) / len(table)
    quality = (200.0 - scale) / 2.0 if scale <= 100.0 else 5000.0 / scale
    return max(1, min(100, round(quality)))


def _to_rgb(img: Image.Image) -> Image.Image:
    """Convert any mode (CMYK, 16-bit, palette, alpha) to 8-bit sRGB RGB."""
    icc = img.info.get("icc_profile")
    if icc and img.mode in {"RGB", "CMYK"}:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            img = ImageCms.profileToProfile(
                img, src, ImageCms.createProfile("sRGB"), outputMode="RGB"
            ) or img
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall back to a plain conversion
    if img.mode in {"I;16", "I;16B", "I;16L", "I"}:
        # via 32-bit "I": Pillow's point() takes no big-endian 16-bit (scanner TIFFs)
        img = img.convert("I").point(lambda v: v / 256).convert("L")
    if img.mode in {"RGBA", "LA", "PA"} or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img if img.mode == "RGB" else img.convert("RGB")


def _orientation(img: Image.Image) -> int:
    """EXIF orientation 1-8; 1 when absent or unreadable (as browsers treat it)."""
    try:
        value = img.getexif().get(ORIENTATION_TAG, 1)
    except Exception:  # malformed EXIF: Pillow raises struct.error, TypeError, ...
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _upright(img: Image.Image) -> Image.Image:
    """Turn the pixels as the EXIF orientation says. Unlike `ImageOps.exif_transpose`
    this never writes EXIF back, which fails on a malformed tag (a GPS entry of the
    wrong type); the metadata is dropped anyway."""
    method = _TRANSPOSE.get(_orientation(img))
    return img if method is None else img.transpose(method)


def load_image(data: bytes, limits: ShieldLimits | None = None) -> LoadedImage:
    """Decode ``data`` or raise `ImageRejected`; applies EXIF orientation, drops metadata."""
    limits = limits or ShieldLimits()
    if not data:
        raise ImageRejected("empty", "no bytes")
    if len(data) > limits.max_bytes:
        raise ImageRejected("too_large", "file over the byte limit",
                            size=len(data), limit=limits.max_bytes)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img: Image.Image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own header check fired first (far over our limit): same answer as ours.
        raise ImageRejected("too_many_pixels", "image dimensions over the pixel limit",
                            limit=limits.max_pixels) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageRejected("not_image", f"cannot identify image: {exc}") from exc
    width, height = img.size
    if width <= 0 or height <= 0:
        raise ImageRejected("empty", "zero-size image", width=width, height=height)
    if width * height > limits.max_pixels:
        raise ImageRejected("too_many_pixels", "image dimensions over the pixel limit",
                            width=width, height=height, pixels=width * height,
                            limit=limits.max_pixels)
    try:  # counting frames reads every page: a broken later page fails here
        frames = getattr(img, "n_frames", 1)
    except (TypeError, OSError, EOFError, SyntaxError, ValueError, struct.error) as exc:
        raise ImageRejected("not_image", f"cannot read the image's pages: {exc}") from exc
    if frames > 1 and img.format != "MPO":
        raise ImageRejected("animated", "animated images are not supported", frames=frames)
    source_format = img.format or "UNKNOWN"
    quality = estimate_jpeg_quality(img) if source_format in {"JPEG", "MPO"} else None
    try:
        img.load()
    except Image.DecompressionBombError as exc:
        raise ImageRejected("too_many_pixels", str(exc), width=width, height=height,
                            limit=limits.max_pixels) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected("truncated", f"image data is incomplete: {exc}") from exc
    except Exception as exc:  # a decoder tripping over a malformed file (struct, type...)
        raise ImageRejected("not_image", f"cannot decode the image: {exc}") from exc
    try:
        rgb = _to_rgb(_upright(img))
    except Exception as exc:  # an odd mode or layout the conversion can't handle
        raise ImageRejected("not_image", f"cannot convert the image: {exc}") from exc
    rgb.info = {}  # drop EXIF/XMP/ICC/comments; our own object, nobody else holds it
    return LoadedImage(rgb, source_format, len(data), quality)
