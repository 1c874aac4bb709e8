"""Photos a job needs later, stored by content hash until every target is done.

A chat upload is only a file reference on the chat platform, which a background worker
cannot download; so the bytes (already protected when the creator shields photos, and
never with their EXIF, GPS or XMP) are written here when the job is created. Files are
named by their SHA-256, written to a temporary name and renamed (a crash never leaves
half a photo under a real name), and deleted once no live target refers to them: posted
and cancelled at once, failed ones after `posting.failed_media_days` (kept for a retry).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
import time
from pathlib import Path

from core.imageshield.metadata import strip_metadata
from core.settings import Settings


class MediaMissing(Exception):
    """A stored photo is gone (deleted by hand, a wiped disk): the post can't be made."""


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_settings(cls, settings: Settings) -> MediaStore:
        return cls(settings.posting.media_dir or settings.app.data_dir / "media")

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def _put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        final = self.path(digest)
        if final.exists():
            return digest
        final.parent.mkdir(parents=True, exist_ok=True)
        # A name of its own: two threads (or processes) storing the same photo at once
        # must not write into, or rename away, each other's temporary file.
        fd, name = tempfile.mkstemp(prefix=f".{digest}.", suffix=".tmp", dir=final.parent)
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.replace(tmp, final)
            except OSError:
                if not final.exists():
                    raise
        finally:  # a full disk, an I/O error, a lost race: no partial copy stays
            tmp.unlink(missing_ok=True)
        return digest

    async def put(self, data: bytes) -> str:
        """Store `data` without its EXIF/GPS/XMP (`strip_metadata`, lossless); returns
        the hash of what was stored (the same photo is stored once)."""
        return await asyncio.to_thread(lambda: self._put(strip_metadata(data)))

    async def get(self, sha256: str) -> bytes:
        try:
            return await asyncio.to_thread(self.path(sha256).read_bytes)
        except FileNotFoundError as exc:
            raise MediaMissing(sha256) from exc

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def sweep_temporaries(self, older_than: float) -> int:
        """Delete temporary files older than `older_than` seconds: what a process killed
        mid-write left (a write in flight is seconds old). Returns how many went."""
        if not self.root.exists():
            return 0
        removed, now = 0, time.time()
        for tmp in self.root.glob("??/.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                if now - tmp.stat().st_mtime > older_than:
                    tmp.unlink()
                    removed += 1
        return removed

    def all_hashes(self) -> set[str]:
        if not self.root.exists():
            return set()
        return {p.name for p in self.root.glob("??/*") if not p.name.startswith(".")}
