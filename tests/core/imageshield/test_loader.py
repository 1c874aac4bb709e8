from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageCms

from core.imageshield import ImageRejected, ImageShield, ShieldLimits, load_image
from tests.core.imageshield.conftest import jpeg_bytes


def _exif_with_gps_and_orientation(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SecretCam"
    gps = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    exif[0x8825] = gps
    return exif


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_output_carries_no_exif_gps_or_icc(synthetic: Image.Image) -> None:
    data = jpeg_bytes(synthetic, exif=_exif_with_gps_and_orientation(1),
                      icc_profile=b"")
    out = Image.open(io.BytesIO(ImageShield().protect(data, "light", seed=1).data))
    assert len(out.getexif()) == 0
    assert "exif" not in out.info
    assert "icc_profile" not in out.info


def test_output_carries_no_xmp_icc_profile_or_comment(photo: Image.Image) -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">creator: Alice, Berlin</x:xmpmeta>'
    data = jpeg_bytes(photo, icc_profile=icc, xmp=xmp, comment=b"shot at home")
    assert {"icc_profile", "xmp", "comment"} <= set(Image.open(io.BytesIO(data)).info)
    out = ImageShield().protect(data, "light", seed=1).data
    assert {"icc_profile", "xmp", "comment"}.isdisjoint(Image.open(io.BytesIO(out)).info)
    assert b"Alice" not in out
    assert b"shot at home" not in out


def test_exif_orientation_is_applied_before_anything_else(synthetic: Image.Image) -> None:
    data = jpeg_bytes(synthetic, exif=_exif_with_gps_and_orientation(6))  # rotate 90 CW
    loaded = load_image(data).image
    assert loaded.size == (synthetic.height, synthetic.width)
    assert loaded.info == {}


def test_exif_orientation_turns_the_picture_the_right_way() -> None:
    stored = Image.new("RGB", (120, 80), (0, 0, 0))
    stored.paste((255, 255, 255), (0, 0, 30, 30))  # a mark in the stored top-left corner
    data = jpeg_bytes(stored, exif=_exif_with_gps_and_orientation(6))  # shown turned CW
    shown = load_image(data).image.convert("L")
    assert shown.size == (80, 120)
    assert shown.getpixel((65, 15)) > 200  # the mark is now top right
    assert shown.getpixel((15, 15)) < 50


def test_a_tiff_whose_second_page_is_broken_is_refused_kindly() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (9, 9, 9)).save(buf, "TIFF")
    data = bytearray(buf.getvalue())
    first = struct.unpack_from("<I", data, 4)[0]
    entries = struct.unpack_from("<H", data, first)[0]
    struct.pack_into("<I", data, first + 2 + 12 * entries, len(data))  # "next page" here:
    broken = bytes(data) + b"\x00\x00" + b"\x00\x00\x00\x00"  # an empty page entry
    with pytest.raises(ImageRejected) as refused:
        load_image(broken)
    assert refused.value.code == "not_image"


def test_a_16_bit_big_endian_tiff_is_read_as_grey_levels() -> None:
    ramp = np.linspace(0, 65535, 200 * 150).reshape(150, 200).astype(">u2")
    buf = io.BytesIO()
    Image.frombytes("I;16B", (200, 150), ramp.tobytes()).save(buf, "TIFF")
    assert Image.open(io.BytesIO(buf.getvalue())).mode == "I;16B"  # as scanners write
    loaded = load_image(buf.getvalue()).image
    assert loaded.mode == "RGB"
    assert loaded.getpixel((0, 0))[0] < 5
    assert loaded.getpixel((199, 149))[0] > 250


def test_cmyk_input_is_converted_and_protected(photo: Image.Image) -> None:
    data = jpeg_bytes(photo.convert("CMYK"))
    result = ImageShield().protect(data, "standard", seed=3)
    assert Image.open(io.BytesIO(result.data)).mode == "RGB"


def test_sixteen_bit_greyscale_is_converted_and_protected() -> None:
    ramp = (np.linspace(0, 65535, 200 * 150).reshape(150, 200)).astype(np.uint16)
    buf = io.BytesIO()
    Image.fromarray(ramp).save(buf, "PNG")
    loaded = load_image(buf.getvalue()).image
    assert loaded.mode == "RGB"
    assert loaded.getpixel((199, 149))[0] > 240
    assert ImageShield().protect(buf.getvalue(), "light", seed=1).report.width > 0


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"", "empty"),
        (b"definitely not an image, just text" * 10, "not_image"),
        (_png_header_only(60000, 60000), "too_many_pixels"),
        (_png_header_only(9000, 6000), "too_many_pixels"),
    ],
)
def test_bad_input_raises_typed_rejection(payload: bytes, code: str) -> None:
    with pytest.raises(ImageRejected) as info:
        ImageShield().protect(payload)
    assert info.value.code == code


def test_pixel_limit_is_checked_from_the_header_with_params() -> None:
    with pytest.raises(ImageRejected) as info:
        load_image(_png_header_only(9000, 6000))
    assert info.value.params["width"] == 9000
    assert info.value.params["limit"] == ShieldLimits().max_pixels


def test_truncated_jpeg_is_rejected_as_truncated(photo_jpeg: bytes) -> None:
    with pytest.raises(ImageRejected) as info:
        load_image(photo_jpeg[: len(photo_jpeg) // 2])
    assert info.value.code == "truncated"


def test_file_over_byte_limit_is_rejected_before_decoding(photo_jpeg: bytes) -> None:
    with pytest.raises(ImageRejected) as info:
        ImageShield(ShieldLimits(max_bytes=1000)).protect(photo_jpeg)
    assert info.value.code == "too_large"
    assert info.value.params == {"size": len(photo_jpeg), "limit": 1000}


def test_animated_gif_is_rejected() -> None:
    colours = ((200, 30, 30), (30, 200, 30), (30, 30, 200))
    frames = [Image.new("RGB", (40, 30), colour) for colour in colours]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100)
    with pytest.raises(ImageRejected) as info:
        load_image(buf.getvalue())
    assert info.value.code == "animated"


def test_zero_size_image_is_rejected_as_empty() -> None:
    with pytest.raises(ImageRejected) as info:
        load_image(_png_header_only(0, 10))
    assert info.value.code in {"empty", "not_image"}


def test_unknown_level_is_a_typed_rejection(photo_jpeg: bytes) -> None:
    with pytest.raises(ImageRejected) as info:
        ImageShield().protect(photo_jpeg, "extreme")
    assert info.value.code == "bad_level"
