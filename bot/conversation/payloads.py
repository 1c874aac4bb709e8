"""Signed, compact button payloads.

Telegram allows 64 bytes of `callback_data`, Discord 100 characters of `custom_id`, so
a payload is `flow|action|arg...~issued~sig`: the issue time in minutes (base 36) and a
truncated HMAC over everything plus the presser's identity. A payload that was altered,
pressed by someone else, or is older than the TTL decodes to `None` and the user is told
the button expired.
"""

from __future__ import annotations

import base64
import hmac
from datetime import datetime, timedelta

from bot.conversation.events import Press
from core.clock import Clock

MAX_PAYLOAD_BYTES = 64
SEP = "|"
_FORBIDDEN = {"|", "~"}


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


class PayloadCodec:
    def __init__(self, key: bytes, clock: Clock, ttl: timedelta = timedelta(days=7)) -> None:
        self._key = key
        self._clock = clock
        self._ttl = ttl

    def _sig(self, owner: str, body: str) -> str:
        mac = hmac.new(self._key, f"{owner}\n{body}".encode(), "sha256").digest()[:9]
        return base64.urlsafe_b64encode(mac).decode()

    def encode(self, owner: str, flow: str, action: str, *args: str) -> str:
        """Build a payload bound to `owner` (transport:user id). Raises if too long."""
        parts = [flow, action, *args]
        if any(ch in part for part in parts for ch in _FORBIDDEN):
            raise ValueError("button arguments may not contain '|' or '~'")
        minutes = int(self._now().timestamp() // 60)
        body = f"{SEP.join(parts)}~{_b36(minutes)}"
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
        if not hmac.compare_digest(sig.encode(), self._sig(owner, body).encode()):
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
