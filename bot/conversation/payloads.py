"""Signed, compact button payloads.

Telegram allows 64 bytes of `callback_data`, Discord 100 characters of `custom_id`, so
a payload is `flow|action|arg...~issued~sig`: the issue time in minutes (base 36) and a
9-byte tag over everything plus the presser's identity, made and checked (in constant
time) by `core.signing` for the purpose "button". A payload that was altered, pressed by
someone else, or is older than the TTL decodes to `None` and the user is told the button
expired.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.conversation.events import Press
from core.clock import Clock
from core.signing import Signer, b36, b64encode

MAX_PAYLOAD_BYTES = 64
SEP = "|"
PURPOSE = "button"
TAG_BYTES = 9  # 12 characters: what fits next to a useful payload in 64 bytes
_FORBIDDEN = {"|", "~"}


class PayloadCodec:
    def __init__(self, key: bytes, clock: Clock, ttl: timedelta = timedelta(days=7)) -> None:
        self._signer = Signer(key, clock)
        self._clock = clock
        self._ttl = ttl

    def _sig(self, owner: str, body: str) -> str:
        return b64encode(self._signer.mac(PURPOSE, f"{owner}\n{body}", TAG_BYTES))

    def encode(self, owner: str, flow: str, action: str, *args: str) -> str:
        """Build a payload bound to `owner` (transport:user id). Raises if too long."""
        parts = [flow, action, *args]
        if any(ch in part for part in parts for ch in _FORBIDDEN):
            raise ValueError("button arguments may not contain '|' or '~'")
        minutes = int(self._now().timestamp() // 60)
        body = f"{SEP.join(parts)}~{b36(minutes)}"
        payload = f"{body}~{self._sig(owner, body)}"
        if len(payload.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"button payload too long ({len(payload.encode())} bytes)")
        return payload

    def decode(self, owner: str, payload: str) -> Press | None:
        """Verify and unpack; `None` for anything tampered, foreign or stale."""
        try:
            body, sig = payload.rsplit("~", 1)
            parts_str, issued = body.rsplit("~", 1)
            issued_at = int(issued, 36) * 60
        except ValueError:
            return None
        if not self._signer.check(PURPOSE, f"{owner}\n{body}", sig, TAG_BYTES):
            return None
        age = self._now().timestamp() - issued_at
        if age < -120 or age > self._ttl.total_seconds():
            return None
        parts = parts_str.split(SEP)
        if len(parts) < 2:
            return None
        return Press(flow=parts[0], action=parts[1], args=tuple(parts[2:]))

    def _now(self) -> datetime:
        return self._clock.now()
