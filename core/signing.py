"""One signing helper for everything we hand out and later trust again: button
payloads, Reddit connect links, sign-in ("magic") links.

Why one: each of those had its own HMAC code, and the details that matter are easy to
get wrong once out of three times: a constant-time comparison, a tag the caller cannot
shorten, an expiry, and a purpose, so that a token minted for one use (a button) is
worthless for another (a sign-in link). Here:

- HMAC-SHA256 with a key derived per purpose from the installation's secret, and the
  purpose also inside the MAC input;
- tags compared with `hmac.compare_digest`, only at their full expected length;
- tokens are compact and URL-safe: `payload.expiry.tag`, where payload is the data
  itself when it is already URL-safe (an id stays readable: signing is not
  encryption) and `~` + base64url of its UTF-8 otherwise, expiry is Unix seconds in
  base 36 and tag 16 bytes of base64url;
- `verify` answers data or None; `open` says why not: `TokenExpired` or `TokenInvalid`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import re
from datetime import timedelta

from core.clock import Clock

TAG_BYTES = 16
MIN_TAG_BYTES = 8  # shorter tags are guessable; even compact payloads use more
MAX_TOKEN_CHARS = 4096  # tokens arrive as user input: refuse big ones before decoding
_PURPOSE = re.compile(r"[a-z0-9][a-z0-9._:-]{0,63}")
_PLAIN = re.compile(r"[A-Za-z0-9_-]*")
_DERIVE_LABEL = b"thottopilot/signing/v1\x00"


class TokenError(ValueError):
    reason = "invalid"


class TokenInvalid(TokenError):
    """Malformed, altered, signed with another key or for another purpose."""


class TokenExpired(TokenError):
    """Authentic, but its time is up: ask for a fresh one."""

    reason = "expired"


def b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64decode(text: str) -> bytes:
    """Inverse of `b64encode`; `ValueError` for anything that is not strict base64url."""
    if not text.isascii() or not _PLAIN.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise ValueError("not base64url") from exc
    if b64encode(raw) != text:  # one spelling per value: no look-alike tokens
        raise ValueError("not canonical base64url")
    return raw


def b36(n: int) -> str:
    """Non-negative `n` in base 36 (lower case): compact timestamps in tokens."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


class Signer:
    """Signs and verifies on behalf of one installation secret."""

    def __init__(self, master_key: bytes, clock: Clock) -> None:
        if len(master_key) < 16:
            raise ValueError("the signing key needs at least 16 bytes")
        self._master = master_key
        self._clock = clock
        self._keys: dict[str, bytes] = {}

    # -- primitives (compact formats such as button payloads build on these) ---------
    def mac(self, purpose: str, message: str | bytes, size: int = TAG_BYTES) -> bytes:
        """The first `size` bytes of HMAC-SHA256(key for purpose, purpose NUL message)."""
        if not MIN_TAG_BYTES <= size <= 32:
            raise ValueError(f"tag size must be {MIN_TAG_BYTES}..32 bytes")
        data = message.encode() if isinstance(message, str) else message
        key = self._key(purpose)
        return hmac.new(key, purpose.encode() + b"\x00" + data, hashlib.sha256).digest()[:size]

    def check(self, purpose: str, message: str | bytes, tag: str, size: int = TAG_BYTES) -> bool:
        """Whether `tag` (base64url) is the full-length MAC of `message`, in constant time."""
        try:
            given = b64decode(tag)
        except ValueError:
            return False
        return len(given) == size and hmac.compare_digest(given, self.mac(purpose, message, size))

    # -- tokens ---------------------------------------------------------------------
    def sign(self, purpose: str, data: str, ttl: timedelta) -> str:
        """A URL-safe token carrying `data` for `purpose`, valid for `ttl`."""
        if ttl <= timedelta(0):
            raise ValueError("a token needs a positive time to live")
        payload = data if _PLAIN.fullmatch(data) else "~" + b64encode(data.encode())
        expires = math.ceil((self._clock.now() + ttl).timestamp())
        body = f"{payload}.{b36(expires)}"
        return f"{body}.{b64encode(self.mac(purpose, body))}"

    def open(self, purpose: str, token: str) -> str:
        """The data of a valid token; raises `TokenInvalid` or `TokenExpired`."""
        if len(token) > MAX_TOKEN_CHARS or not token.isascii():
            raise TokenInvalid("not a token")
        body, _, tag = token.rpartition(".")
        payload, _, expiry = body.rpartition(".")
        if not expiry or not self.check(purpose, body, tag):
            raise TokenInvalid("signature does not match")
        data = _unpack(payload)
        if self._clock.now().timestamp() >= int(expiry, 36):
            raise TokenExpired("token expired")
        return data

    def verify(self, purpose: str, token: str) -> str | None:
        """The data of a valid token, or None (use `open` to learn why)."""
        try:
            return self.open(purpose, token)
        except TokenError:
            return None

    def _key(self, purpose: str) -> bytes:
        key = self._keys.get(purpose)
        if key is None:
            key = derive_key(self._master, purpose)
            self._keys[purpose] = key
        return key


def derive_key(master_key: bytes, purpose: str) -> bytes:
    """The installation's key for one purpose (what `Signer` signs with), for formats
    that are not tokens: e.g. core.webhooks signs internal calls with it, so every
    process sharing the secret key can verify them and nothing else is configured."""
    if not _PURPOSE.fullmatch(purpose):
        raise ValueError(f"bad signing purpose {purpose!r}")
    return hmac.new(master_key, _DERIVE_LABEL + purpose.encode(), "sha256").digest()


def _unpack(payload: str) -> str:
    """Payload text back to data. Only reached for authentic tokens, so a failure here
    means a bug on our side; it is still reported as an invalid token, never raised."""
    if not payload.startswith("~"):
        return payload
    try:
        return b64decode(payload[1:]).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise TokenInvalid("payload does not decode") from exc
