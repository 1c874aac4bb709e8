"""Posting now with photo protection off: Reddit gets the photo without EXIF or GPS."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

from core.reddit.types import MediaItem, PostRequest
from tests.core.posting.test_metadata_stripped import _identifying, sideways_camera_file


async def test_reddit_never_receives_gps_or_camera_exif_with_protection_off(
    core, user, account, fake_reddit
):
    fake_reddit.add_sub("pics")
    original = sideways_camera_file()
    request = PostRequest("pics", "image", "Golden hour",
                          images=(MediaItem(original, "IMG_0001.jpg"),))
    async with core.db.session() as session:
        assert (await core.reddit.accounts.prefs(session, user.id)).protect_level is None
        account = await session.merge(account)
        outcome = await core.reddit.post(session, user, account, request,
                                         confirm_warnings=True)
    assert outcome.posted, outcome
    [uploaded] = fake_reddit.uploads.values()
    assert _identifying(uploaded) == []
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(uploaded)))
    assert upright.size == (320, 512)
