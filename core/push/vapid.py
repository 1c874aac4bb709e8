"""The VAPID key pair (RFC 8292) that signs every push request and that browsers
subscribe with.

Configured (`push.vapid_private_key`) or generated once into the data directory
(`vapid_private_key.pem`, 0600, first process to start wins; see
core.atomicfile.create_once). Changing it orphans every subscription: browsers bound
them to the old public key, so the configured public key must match the private one.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from core.atomicfile import create_once

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

    from core.settings import Settings

KEY_FILE = "vapid_private_key.pem"


class VapidKeyError(ValueError):
    """The configured VAPID keys can't be used (unreadable, or not a pair)."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class VapidKeys:
    private_pem: bytes
    public_key: str  # base64url uncompressed P-256 point: the applicationServerKey
    subject: str  # the JWT "sub": mailto: or https URL


def _load_private(text: bytes) -> ec.EllipticCurvePrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    stripped = text.strip()
    try:
        if stripped.startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(stripped, password=None)
        else:
            raw = b64url_decode(stripped.decode())
            if len(raw) != 32:
                raise ValueError("not a 32-byte key")
            key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise VapidKeyError(f"push.vapid_private_key is not a P-256 key: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise VapidKeyError("push.vapid_private_key must be a P-256 (prime256v1) key")
    return key


def _generated(path: Path) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    return create_once(path, pem, 0o600)


def subject(settings: Settings) -> str:
    if settings.push.contact_email:
        return f"mailto:{settings.push.contact_email.removeprefix('mailto:')}"
    public = settings.web.public_url or ""
    if public.lower().startswith("https://"):
        parts = urlsplit(public)
        return f"https://{parts.netloc}"
    return "mailto:push@localhost"


def load_keys(settings: Settings) -> VapidKeys:
    """The configured pair, or the one in the data directory (made on first use)."""
    from cryptography.hazmat.primitives import serialization

    configured = settings.push.vapid_private_key
    if configured is not None:
        key = _load_private(configured.get_secret_value().encode())
    else:
        key = _load_private(_generated(Path(settings.app.data_dir) / KEY_FILE))
    public = b64url(key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))
    given = settings.push.vapid_public_key
    if given is not None and given.strip().rstrip("=") != public:
        raise VapidKeyError("push.vapid_public_key does not belong to push.vapid_private_key "
                            "(leave it unset to derive it)")
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return VapidKeys(pem, public, subject(settings))
