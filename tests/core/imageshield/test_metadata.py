"""`strip_metadata`: EXIF, GPS, XMP and comments go, pixels and colour profile stay."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms

from core.imageshield.metadata import strip_metadata
from tests.fakes.photos import CAMERA_MAKE, camera_photo

ORIENTATION = 0x0112
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _with_everything(fmt: str, orientation: int = 6, **extra) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKE
    exif[ORIENTATION] = orientation
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}
    buf = io.BytesIO()
    Image.open(io.BytesIO(camera_photo())).resize((96, 64)).save(
        buf, fmt, exif=exif, icc_profile=SRGB, **extra)
    return buf.getvalue()


@pytest.mark.parametrize(("fmt", "extra"), [
    ("JPEG", {"progressive": True, "comment": b"SecretCam comment"}),
    ("PNG", {}),
    ("WEBP", {"lossless": True}),
])
def test_only_the_orientation_and_colour_profile_survive(fmt, extra):
    original = _with_everything(fmt, **extra)
    assert CAMERA_MAKE.encode() in original
    stripped = strip_metadata(original)
    assert CAMERA_MAKE.encode() not in stripped
    img = Image.open(io.BytesIO(stripped))
    assert dict(img.getexif()) == {ORIENTATION: 6}
    assert img.info.get("icc_profile") == SRGB
    assert img.tobytes() == Image.open(io.BytesIO(original)).tobytes()


def test_an_upright_photo_keeps_no_exif_at_all():
    stripped = strip_metadata(_with_everything("JPEG", orientation=1))
    assert dict(Image.open(io.BytesIO(stripped)).getexif()) == {}


def test_what_follows_the_jpeg_goes_too():
    """MPO second pictures and motion-photo videos sit after the first picture's end."""
    original = _with_everything("JPEG") + b"MotionPhoto_Data " + CAMERA_MAKE.encode()
    stripped = strip_metadata(original)
    assert stripped.endswith(b"\xff\xd9")
    assert CAMERA_MAKE.encode() not in stripped


def test_clean_and_unknown_bytes_come_back_unchanged():
    clean = io.BytesIO()
    Image.new("RGB", (32, 32), (1, 2, 3)).save(clean, "JPEG")
    assert strip_metadata(clean.getvalue()) == clean.getvalue()
    for data in (b"", b"GIF89a not really", b"\xff\xd8\xff\xe1\x00"):
        assert strip_metadata(data) == data
