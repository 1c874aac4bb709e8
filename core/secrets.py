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


def resolve_secret_key(settings: Settings) -> bytes:
    if settings.security.secret_key is not None:
        return settings.security.secret_key.get_secret_value().encode()
    path = Path(settings.app.data_dir) / "secret_key"
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def derive_key(master: bytes, purpose: str) -> bytes:
    """A separate 32-byte key per purpose, so one leak does not unlock the rest."""
    return hashlib.blake2b(master, key=purpose.encode()[:64], digest_size=32).digest()
