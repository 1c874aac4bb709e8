"""A photo sent for captions is read as it is shown: its hints and the small copy a
vision provider gets are upright, whatever the camera stored (EXIF orientation)."""

from __future__ import annotations

import io

from PIL import Image

from core.captions.image import read_photo


def _phone_portrait() -> bytes:
    """Stored 1200x800 with Orientation 6: a phone's portrait, shown 800x1200."""
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (120, 120, 120)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_phone_portrait_is_seen_upright():
    notes = read_photo(_phone_portrait(), 50_000_000)
    assert "portrait" in notes.hints
    width, height = Image.open(io.BytesIO(notes.jpeg)).size
    assert height > width
