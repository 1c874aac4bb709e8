"""The media store under the conditions a busy bot meets: the same photo stored twice at
once, and writes that fail half way."""

from __future__ import annotations

import asyncio
import hashlib

from core.posting.media import MediaStore
from tests.fakes.reddit import make_jpeg


async def test_the_same_photo_stored_twice_at_once_is_stored_once(tmp_path) -> None:
    """Two creates with the same photo (two subreddits, a double tap) race in threads."""
    store = MediaStore(tmp_path)
    for i in range(60):
        photo = b"%d" % i + make_jpeg()  # distinct bytes (not a JPEG: stored as they are)
        hashes = await asyncio.gather(*(store.put(photo) for _ in range(4)))
        assert set(hashes) == {hashlib.sha256(photo).hexdigest()}
        assert await store.get(hashes[0]) == photo
    assert len(store.all_hashes()) == 60
    assert [p.name for p in tmp_path.rglob(".*")] == []  # no temporary file left behind
