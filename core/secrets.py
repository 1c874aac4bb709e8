"""The installation's secret key: signs buttons and sign-in links, encrypts tokens.

Configured via `security.secret_key`; when absent (embedded single-process default)
a random key is generated once and kept in the data directory with 0600 permissions,
so restarts keep old buttons and stored tokens valid.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from core.settings import Settings

MIN_KEY_BYTES = 16


def resolve_secret_key(settings: Settings) -> bytes:
    if settings.security.secret_key is not None:
        return settings.security.secret_key.get_secret_value().encode()
    path = Path(settings.app.data_dir) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48).encode()
    # Write to a private temp file, then link it into place: exactly one of several
    # processes starting together wins, and nobody ever reads a half-written key.
    tmp = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    stored = path.read_bytes().strip()
    if len(stored) < MIN_KEY_BYTES:
        raise ValueError(f"{path} holds no usable key; delete it to generate a new one")
    return stored


def derive_key(master: bytes, purpose: str) -> bytes:
    """A separate 32-byte key per purpose, so one leak does not unlock the rest."""
    return hashlib.blake2b(master, key=purpose.encode()[:64], digest_size=32).digest()
