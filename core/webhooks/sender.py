"""Send a signed JSON call with aiohttp: the body is serialised once, signed, sent.

The receiver checks the signature over the exact bytes it reads, so the body is
serialised here (compact, sorted keys) and never re-encoded by the HTTP client.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from core.clock import Clock
from core.webhooks.signing import HEADER, sign

DEFAULT_TIMEOUT_SECONDS = 10.0


class WebhookFailed(Exception):
    """The receiver could not be reached or did not accept the call (`status`, if any)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def encode(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True,
                      ensure_ascii=False).encode()


class WebhookSender:
    """Posts signed JSON to receivers that share `secret`."""

    def __init__(self, secret: bytes, clock: Clock, *,
                 timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self._secret = secret
        self._clock = clock
        self._timeout = timeout_seconds

    def signed(self, payload: Mapping[str, Any]) -> tuple[bytes, dict[str, str]]:
        """The body and headers of one call (a fresh id each time)."""
        body = encode(payload)
        return body, {"Content-Type": "application/json",
                      HEADER: sign(self._secret, body, self._clock)}

    async def post(self, url: str, payload: Mapping[str, Any]) -> int:
        """Send once; the status of a 2xx answer, else `WebhookFailed`."""
        import aiohttp  # the web stack's client; loaded when a call is made

        body, headers = self.signed(payload)
        timeout = aiohttp.ClientTimeout(total=self._timeout)
        try:
            async with (aiohttp.ClientSession(timeout=timeout) as http,
                        http.post(url, data=body, headers=headers,
                                  allow_redirects=False) as resp):
                await resp.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise WebhookFailed(f"could not reach {url}: {exc.__class__.__name__}") from exc
        if not 200 <= resp.status < 300:
            raise WebhookFailed(f"{url} answered {resp.status}", resp.status)
        return resp.status
