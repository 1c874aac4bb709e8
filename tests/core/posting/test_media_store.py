"""The media store under the conditions a busy bot meets: the same photo stored twice at
once, and writes that fail half way."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import os
import time

import pytest

from core.posting.media import MediaStore
from core.posting.worker import ORPHAN_AGE, PostingWorker
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


async def test_a_write_that_fails_half_way_leaves_no_partial_copy(tmp_path, monkeypatch) -> None:
    """A full disk or an I/O error surfaces at fsync: the half-written temporary goes."""
    store = MediaStore(tmp_path)

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        await store.put(make_jpeg())
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


async def test_the_sweep_removes_temporaries_a_crash_left_behind(core, posting) -> None:
    """A process killed mid-write leaves its temporary: an hour later the sweep takes it,
    a write still in flight (a fresh temporary) is left alone."""
    sha = hashlib.sha256(b"half a photo").hexdigest()
    folder = posting.media.root / sha[:2]
    folder.mkdir(parents=True)
    stale, fresh = folder / f".{sha}.abc123.tmp", folder / f".{sha}.def456.tmp"
    stale.write_bytes(b"half a ph")
    fresh.write_bytes(b"half")
    old = time.time() - ORPHAN_AGE - 60
    os.utime(stale, (old, old))
    await PostingWorker(core)._sweep()
    assert not stale.exists()
    assert fresh.exists()
