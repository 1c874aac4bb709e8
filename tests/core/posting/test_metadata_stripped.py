"""With photo protection off (the default) a photo still loses its EXIF, GPS and XMP
before it is stored for later and before Reddit gets it; it looks the same."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageOps

from core.posting.models import State
from core.posting.service import TargetSpec
from core.reddit.types import MediaItem, PostRequest
from tests.core.posting.conftest import targets_of
from tests.fakes.photos import CAMERA_MAKE, camera_photo

GPS_IFD, MAKE, ORIENTATION = 0x8825, 0x010F, 0x0112


def sideways_camera_file() -> bytes:
    """A phone photo sent as a *file*: stored sideways (orientation 6), with GPS and Make,
    an XMP packet and a comment."""
    exif = Image.Exif()
    exif[MAKE] = CAMERA_MAKE
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    picture = Image.open(io.BytesIO(camera_photo())).crop((0, 0, 512, 320))
    buf = io.BytesIO()
    picture.save(buf, "JPEG", quality=90, exif=exif, comment=b"home sweet home",
                 xmp=b"<x:xmpmeta><GPSLatitude>52,31.2N</GPSLatitude></x:xmpmeta>")
    return buf.getvalue()


def _identifying(data: bytes) -> list[str]:
    img = Image.open(io.BytesIO(data))
    exif = img.getexif()
    found = [f"exif {tag:#x}" for tag in exif if tag != ORIENTATION]
    found += [f"gps {k}" for k in exif.get_ifd(GPS_IFD)]
    found += [key for key in ("comment", "xmp") if key in img.info]
    found += [word for word in (CAMERA_MAKE, "GPSLatitude", "home sweet")
              if word.encode() in data]
    return found


def _upright(data: bytes) -> Image.Image:
    return ImageOps.exif_transpose(Image.open(io.BytesIO(data)).convert("RGB"))


async def test_a_photo_is_stored_and_posted_without_its_metadata_when_protection_is_off(
    core, posting, user, account, subs, fake_reddit, clock
):
    original = sideways_camera_file()
    assert _identifying(original)  # the spec's photo does carry what must go
    request = PostRequest("pics", "image", "Golden hour",
                          images=(MediaItem(original, "IMG_0001.jpg"),))
    job = await posting.create_job(user_id=user.id, account_id=account.id, request=request,
                                   targets=[TargetSpec("pics", "Golden hour")],
                                   due_at=clock.now() + timedelta(hours=1))
    [stored_sha] = posting.media.all_hashes()
    stored = await posting.media.get(stored_sha)
    assert _identifying(stored) == []
    clock.advance(timedelta(hours=1))
    await posting.run_due()
    assert (await targets_of(core, job.id))[0].state == State.POSTED
    [uploaded] = fake_reddit.uploads.values()
    assert _identifying(uploaded) == []
    # The same picture, the same way up: pixels untouched, orientation kept.
    assert _upright(uploaded).size == _upright(original).size == (320, 512)
    assert _upright(uploaded).tobytes() == _upright(original).tobytes()
