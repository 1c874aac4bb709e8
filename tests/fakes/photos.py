"""What creators send: a real photo straight off a "camera" (with GPS and camera EXIF),
and the broken files people do send (text, cut-off uploads, bombs, animations)."""

from __future__ import annotations

import functools
import io
import struct
import zlib

from PIL import Image
from skimage import data as skdata

CAMERA_MAKE = "SecretCam"


@functools.cache
def camera_photo() -> bytes:
    """scikit-image's astronaut (a real 512x512 photograph) as a JPEG with camera EXIF.

    Made once per test process (bytes cannot be changed by a spec): decoding the PNG and
    encoding the JPEG cost ~40 ms a call."""
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKE  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}  # GPS
    buf = io.BytesIO()
    Image.fromarray(skdata.astronaut()).save(buf, "JPEG", quality=90, exif=exif)
    return buf.getvalue()


def has_camera_metadata(data: bytes) -> bool:
    img = Image.open(io.BytesIO(data))
    return len(img.getexif()) > 0 or "exif" in img.info or CAMERA_MAKE.encode() in data


def cut_off(data: bytes) -> bytes:
    """An upload that stopped half way."""
    return data[: len(data) // 2]


def png_header(width: int, height: int) -> bytes:
    """A valid PNG header claiming `width` x `height` with no pixel data (a "bomb")."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (64, 48), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buf.getvalue()
