"""Signed HTTP calls: HMAC-SHA256 over a timestamp, a one-time id and the raw body.

The header, in the shape Stripe made familiar:

    X-ThottoPilot-Signature: t=1764640000,id=Zk3...,v1=5f0c...(64 hex)

`v1` = HMAC-SHA256(secret, "<t>.<id>." + raw body). A receiver refuses, in this order:
a header it cannot read (`Malformed`), a MAC that does not match any of its secrets
(`Forged`; several secrets allow rotating one), a timestamp further than the replay
window from its clock, past or future (`Stale`), and an id it has already accepted
within the window (`Replayed`). The id is recorded only once the MAC checked out, so
forged requests cannot fill the seen-id store or burn a real id in advance.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from core.clock import Clock
from core.webhooks.seen import SeenIds

HEADER = "X-ThottoPilot-Signature"
DEFAULT_WINDOW_SECONDS = 300
MAX_HEADER_CHARS = 1024
_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_HEX = re.compile(r"[0-9a-f]{64}")


class SignatureError(ValueError):
    reason = "malformed"


class Malformed(SignatureError):
    """No header, or not one we can read."""


class Forged(SignatureError):
    """The MAC does not match: another key, or a changed body, time or id."""

    reason = "forged"


class Stale(SignatureError):
    """Authentic, but signed outside the replay window."""

    reason = "stale"


class Replayed(SignatureError):
    """Authentic and fresh, but this id was already accepted."""

    reason = "replayed"


@dataclass(frozen=True)
class Verified:
    timestamp: int
    id: str


def mac(secret: bytes, timestamp: int, call_id: str, body: bytes) -> str:
    message = f"{timestamp}.{call_id}.".encode() + body
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def sign(secret: bytes, body: bytes, clock: Clock, call_id: str | None = None) -> str:
    """The signature header's value for `body`, sent now with a fresh random id."""
    call_id = call_id or secrets.token_urlsafe(18)
    timestamp = int(clock.now().timestamp())
    return f"t={timestamp},id={call_id},v1={mac(secret, timestamp, call_id, body)}"


def parse(header: str | None) -> tuple[int, str, list[str]]:
    """(timestamp, id, candidate MACs) from a header value, or `Malformed`."""
    if not header or len(header) > MAX_HEADER_CHARS or not header.isascii():
        raise Malformed("no readable signature header")
    timestamp: int | None = None
    call_id: str | None = None
    macs: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise Malformed("signature header parts are key=value")
        if key == "t" and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif key == "id" and _ID.fullmatch(value):
            call_id = value
        elif key == "v1" and _HEX.fullmatch(value):
            macs.append(value)
    if timestamp is None or call_id is None or not macs:
        raise Malformed("signature header needs t, id and v1")
    return timestamp, call_id, macs


class Verifier:
    """Checks signed calls against `secrets`, the clock and the seen-id store."""

    def __init__(self, keys: Sequence[bytes], clock: Clock, seen: SeenIds,
                 window_seconds: float = DEFAULT_WINDOW_SECONDS) -> None:
        if not keys:
            raise ValueError("a verifier needs at least one secret")
        self._keys = tuple(keys)
        self._clock = clock
        self._seen = seen
        self.window = float(window_seconds)

    async def verify(self, header: str | None, body: bytes) -> Verified:
        """The call's timestamp and id if it may be acted on; a `SignatureError` if not.

        Accepting records the id: the same call again is `Replayed`."""
        timestamp, call_id, macs = parse(header)
        expected = [mac(key, timestamp, call_id, body) for key in self._keys]
        # Every pair compared in constant time; no early exit on the first match.
        matches = [hmac.compare_digest(e, m) for e in expected for m in macs]
        if not any(matches):
            raise Forged("signature does not match")
        if abs(self._clock.now().timestamp() - timestamp) > self.window:
            raise Stale("signed outside the replay window")
        # Kept for twice the window: a call stamped up to `window` in the future stays
        # acceptable that long, and must stay refused as a replay for all of it.
        if not await self._seen.first_time(call_id, 2 * self.window):
            raise Replayed("this call was already accepted")
        return Verified(timestamp, call_id)
