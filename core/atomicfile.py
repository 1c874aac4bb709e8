"""Write a file so that it is either wholly new or wholly old, never half of each.

A crash, a full disk or a file-size limit in the middle of a plain `write_bytes` leaves
a truncated file where a good one used to be. Here the bytes go to a temporary file in
the same directory (same filesystem, so the rename is atomic), are fsynced, and only
then renamed over the target; the directory is fsynced so the rename survives a power
cut. On failure the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new one gets what `open()` would give
    (0o666 less the umask, which the kernel applies at creation)."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; raises OSError (target unchanged)."""
    directory = path.parent
    tmp_name = directory / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _mode_for(path))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(directory)


@contextlib.contextmanager
def atomic_output(path: Path, mode: int = 0o600) -> Iterator[Path]:
    """For output too big to hold in memory (a database backup): yields a temporary
    path beside `path`, created empty with `mode`, for the caller (or a child process
    such as pg_dump) to fill. When the block ends cleanly the file is fsynced and
    renamed over `path` (directory fsynced too); on any exception it is removed and
    `path` is untouched."""
    directory = path.parent
    tmp_name = directory / f".{path.name}.{secrets.token_hex(6)}.tmp"
    os.close(os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
    try:
        yield tmp_name
        fd = os.open(tmp_name, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp_name, mode)  # whatever wrote it may have recreated it
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(directory)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some platforms and filesystems can't open a directory
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def create_once(path: Path, data: bytes, mode: int = 0o600) -> bytes:
    """Put `data` at `path` unless a file is already there; return what `path` holds.

    For a key generated on first start: the bytes are written and fsynced under a
    temporary name with `mode`, then hard-linked into place, so of several processes
    starting together exactly one wins, everyone reads the winner's key, and nobody
    ever sees half a file. Raises OSError on a write failure (`path` untouched).
    """
    directory = path.parent
    tmp_name = directory / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp_name, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    _fsync_dir(directory)
    return path.read_bytes()
