"""Strip what a photo file says about its maker, without touching its pixels.

Every photo that leaves for Reddit or is kept for a later post goes through
`strip_metadata`, shielded or not: a JPEG sent as a chat *file* keeps its EXIF, and EXIF
carries GPS (a creator's home) and camera serial numbers.

Lossless on purpose: segments and chunks are dropped, pixel data is copied byte for byte
(no generation loss, milliseconds, no decoder needed). What is kept: the colour profile,
the JFIF/Adobe headers the decoder needs, and the EXIF orientation *alone* (a 26-byte
EXIF block with one tag), so a phone photo stored sideways still shows upright; rotating
the pixels instead would mean re-encoding. Dropped: EXIF (GPS, serials, thumbnails), XMP,
IPTC/Photoshop, comments, the multi-picture index and everything after the JPEG's end
(MPO second pictures, motion-photo videos); PNG text, time and eXIf; WebP EXIF and XMP.

Bytes that are not a JPEG, PNG or WebP (GIF, BMP, unknown) are returned unchanged; so
are the ones that carry nothing to drop. Pure bytes work: no Pillow import.
"""

from __future__ import annotations

import struct
import zlib

ORIENTATION_TAG = 0x0112
_EXIF_HEADER = b"Exif\x00\x00"
_ICC_HEADER = b"ICC_PROFILE\x00"
# JPEG markers without a length field: TEM, RST0-7, SOI, EOI.
_STANDALONE = {0x01, *range(0xD0, 0xD8), 0xD8, 0xD9}
_SOS, _EOI = 0xDA, 0xD9
_APP0, _APP1, _APP2, _APP14, _COM = 0xE0, 0xE1, 0xE2, 0xEE, 0xFE
# PNG ancillary chunks that describe the picture's colour or layout are kept; these
# describe its author, camera, time and place.
_PNG_DROP = {b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_WEBP_EXIF_FLAG, _WEBP_XMP_FLAG = 0x08, 0x04


def strip_metadata(data: bytes) -> bytes:
    """`data` without identifying metadata (see the module doc); never raises."""
    try:
        if data.startswith(b"\xff\xd8"):
            return _strip_jpeg(data)
        if data.startswith(_PNG_SIGNATURE):
            return _strip_png(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _strip_webp(data)
    except (struct.error, IndexError, ValueError):
        pass  # a broken container: the decoder fails on it at Reddit or in the shield
    return data


def orientation_tiff(orientation: int) -> bytes:
    """A TIFF header with one IFD holding only the Orientation tag (big-endian)."""
    return (b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
            + struct.pack(">HHIHH", ORIENTATION_TAG, 3, 1, orientation, 0)
            + struct.pack(">I", 0))


def read_orientation(tiff: bytes) -> int:
    """The Orientation (1-8) in EXIF's TIFF block (with or without "Exif\\0\\0"); 1 when
    absent or unreadable."""
    if tiff.startswith(_EXIF_HEADER):
        tiff = tiff[len(_EXIF_HEADER):]
    try:
        order = {b"II": "<", b"MM": ">"}[tiff[:2]]
        (ifd,) = struct.unpack_from(order + "I", tiff, 4)
        (count,) = struct.unpack_from(order + "H", tiff, ifd)
        for i in range(count):
            tag, kind, _, value = struct.unpack_from(order + "HHIH", tiff, ifd + 2 + 12 * i)
            if tag == ORIENTATION_TAG and kind == 3:
                return value if 1 <= value <= 8 else 1
    except (KeyError, struct.error):
        pass
    return 1


def _strip_jpeg(data: bytes) -> bytes:
    out = [b"\xff\xd8"]
    pos, end, changed = 2, len(data), False
    while pos < end:
        if data[pos] != 0xFF:  # entropy-coded data after SOS, up to the next marker
            nxt = _next_marker(data, pos)
            out.append(data[pos:nxt])
            pos = nxt
            continue
        marker = data[pos + 1] if pos + 1 < end else None
        if marker is None:
            out.append(data[pos:])
            break
        if marker == 0xFF:  # fill byte
            out.append(b"\xff")
            pos += 1
            continue
        if marker in _STANDALONE:
            out.append(data[pos:pos + 2])
            pos += 2
            if marker == _EOI:
                changed |= pos < end  # MPO pictures, motion-photo video, trailers
                break
            continue
        (length,) = struct.unpack_from(">H", data, pos + 2)
        if length < 2:
            raise ValueError("bad JPEG segment length")
        segment = data[pos:pos + 2 + length]
        body = segment[4:]
        pos += 2 + length
        kept = _jpeg_keep(marker, body)
        if kept is None:
            out.append(segment)
            if marker == _SOS:
                nxt = _next_marker(data, pos)
                out.append(data[pos:nxt])
                pos = nxt
            continue
        changed = True
        if kept:
            out.append(kept)
    return b"".join(out) if changed else data


def _jpeg_keep(marker: int, body: bytes) -> bytes | None:
    """None: keep the segment as it is; b"": drop it; else the segment to put instead."""
    if marker == _APP0:
        return None if body.startswith(b"JFIF\x00") else b""  # JFXX: a thumbnail
    if marker == _APP1:
        if body.startswith(_EXIF_HEADER):
            orientation = read_orientation(body)
            if orientation != 1:
                payload = _EXIF_HEADER + orientation_tiff(orientation)
                return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
        return b""  # EXIF, XMP, extended XMP
    if marker == _APP2:
        return None if body.startswith(_ICC_HEADER) else b""  # MPF, FlashPix
    if marker == _APP14:
        return None  # Adobe: how to read the colours (CMYK, YCCK)
    if 0xE3 <= marker <= 0xEF or marker == _COM:
        return b""  # IPTC/Photoshop (APP13), vendor blocks, comments
    return None


def _next_marker(data: bytes, pos: int) -> int:
    """Where the entropy-coded data from `pos` ends: the next 0xFF that is neither
    stuffing (FF00) nor a restart marker (FFD0-FFD7)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        follower = data[pos + 1]
        if follower == 0x00 or 0xD0 <= follower <= 0xD7:
            pos += 2
            continue
        return pos


def _strip_png(data: bytes) -> bytes:
    out = [_PNG_SIGNATURE]
    pos, changed = len(_PNG_SIGNATURE), False
    while pos + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        chunk = data[pos:pos + 12 + length]
        pos += 12 + length
        if kind in _PNG_DROP:
            changed = True
            if kind == b"eXIf":
                orientation = read_orientation(chunk[8:8 + length])
                if orientation != 1:
                    out.append(_png_chunk(b"eXIf", orientation_tiff(orientation)))
            continue
        out.append(chunk)
        if kind == b"IEND":
            changed |= pos < len(data)
            break
    else:
        out.append(data[pos:])
    return b"".join(out) if changed else data


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _strip_webp(data: bytes) -> bytes:
    (riff_size,) = struct.unpack_from("<I", data, 4)
    end = min(len(data), 8 + riff_size)
    chunks: list[tuple[bytes, bytes]] = []
    pos, changed, orientation = 12, False, 1
    while pos + 8 <= end:
        kind, size = struct.unpack_from("<4sI", data, pos)
        body = data[pos + 8:pos + 8 + size]
        pos += 8 + size + (size & 1)
        if kind in {b"EXIF", b"XMP "}:
            changed = True
            if kind == b"EXIF":
                orientation = read_orientation(body)
            continue
        chunks.append((kind, body))
    if not changed:
        return data
    extended = bool(chunks) and chunks[0][0] == b"VP8X"  # only it may carry EXIF
    if orientation != 1 and extended:
        chunks.append((b"EXIF", orientation_tiff(orientation)))
    if extended:
        flags = chunks[0][1][0] & ~(_WEBP_EXIF_FLAG | _WEBP_XMP_FLAG)
        if orientation != 1:
            flags |= _WEBP_EXIF_FLAG  # the orientation chunk put back above
        chunks[0] = (b"VP8X", bytes([flags]) + chunks[0][1][1:])
    payload = b"WEBP" + b"".join(
        kind + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) & 1 else b"")
        for kind, body in chunks)
    return b"RIFF" + struct.pack("<I", len(payload)) + payload
