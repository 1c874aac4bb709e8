"""A photo whose EXIF is broken (a tag of the wrong type) still loads upright: the
orientation is applied to the pixels without writing EXIF back (which Pillow can't)."""

from __future__ import annotations

import io

from PIL import Image

from core.imageshield import ImageShield
from core.imageshield.loader import load_image


def _sideways_with_broken_gps() -> bytes:
    """Orientation 6, and GPSLatitudeRef renumbered to tag 0x1E (GPSDifferential, a SHORT)
    still holding the ASCII "N", as some phone apps write it."""
    stored = Image.new("RGB", (120, 80), (0, 0, 0))
    stored.paste((255, 255, 255), (0, 0, 30, 30))  # a mark in the stored top-left corner
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N"}
    buf = io.BytesIO()
    stored.save(buf, "JPEG", quality=95, exif=exif)
    data = bytearray(buf.getvalue())
    big = b"\x00\x01\x00\x02\x00\x00\x00\x02N\x00"  # the IFD entry, as Pillow writes it
    little = b"\x01\x00\x02\x00\x02\x00\x00\x00N\x00"
    entry, tag = (data.find(big), b"\x00\x1e") if big in data else (data.find(little), b"\x1e\x00")
    assert entry > 0
    data[entry:entry + 2] = tag
    return bytes(data)


def test_a_photo_with_a_mistyped_gps_tag_loads_upright() -> None:
    shown = load_image(_sideways_with_broken_gps()).image.convert("L")
    assert shown.size == (80, 120)
    assert shown.getpixel((65, 15)) > 200  # the mark is now top right
    assert shown.getpixel((15, 15)) < 50


def test_a_photo_with_a_mistyped_gps_tag_can_be_protected() -> None:
    result = ImageShield().protect(_sideways_with_broken_gps(), "light")
    assert (result.report.width, result.report.height) <= (80, 120)
    assert result.report.height > result.report.width
