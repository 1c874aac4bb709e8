"""Posting one encrypted Web Push message to one subscription (pywebpush: RFC 8291
aes128gcm payload encryption and RFC 8292 VAPID signing, which we do not hand-roll).

The push service answers 201: accepted. 404/410: the subscription is gone for good
(the person unsubscribed or cleared site data), so the caller removes it. 429 and 5xx
and network trouble are retried here with `core.retry` (Retry-After honoured, inside a
small budget); anything else (400, 403, 413) is a refusal worth logging, not retrying.
No database work happens here: callers hold no transaction across the request.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from core.clock import Clock
from core.push.vapid import VapidKeys
from core.retry import GIVE_UP, RETRY, Backoff, RetryPolicy, Verdict, retry, retry_after

if TYPE_CHECKING:
    import aiohttp

log = logging.getLogger(__name__)

POLICY = RetryPolicy(max_attempts=4, budget=60.0, attempt_timeout=15.0,
                     backoff=Backoff(base=1.0, cap=10.0))
GONE = (404, 410)


class PushRefused(Exception):
    """The push service refused the message (status, short reason)."""

    def __init__(self, status: int | None, reason: str) -> None:
        super().__init__(f"push service answered {status}: {reason}")
        self.status = status


@dataclass(frozen=True)
class Target:
    endpoint: str
    p256dh: str
    auth: str


def _status(exc: Exception) -> int | None:
    response = getattr(exc, "response", None)
    status = getattr(response, "status", None)
    return status if isinstance(status, int) else None


def classify(exc: Exception) -> Verdict:
    import aiohttp

    status = _status(exc)
    if status is not None:
        if status == 429 or status >= 500:
            headers = getattr(getattr(exc, "response", None), "headers", {}) or {}
            value = headers.get("Retry-After", "")
            return retry_after(float(value) if value.isdigit() else None)
        return GIVE_UP
    if isinstance(exc, aiohttp.ClientError | asyncio.TimeoutError):
        return RETRY
    return GIVE_UP


class PushSender:
    def __init__(self, keys: VapidKeys, clock: Clock, ttl: int,
                 policy: RetryPolicy = POLICY) -> None:
        self._keys = keys
        self._clock = clock
        self._ttl = ttl
        self._policy = policy
        self._vapid: Any = None  # py_vapid.Vapid, parsed from the PEM on first send

    def _signing_key(self) -> Any:
        if self._vapid is None:
            from py_vapid import Vapid

            self._vapid = Vapid.from_pem(self._keys.private_pem)
        return self._vapid

    async def send(self, http: aiohttp.ClientSession, target: Target, data: str) -> bool:
        """True: accepted. False: the subscription is gone (404/410). Raises PushRefused
        or the last network error when retries did not help."""
        from pywebpush import WebPushException, webpush_async

        vapid = self._signing_key()
        parts = urlsplit(target.endpoint)
        info: dict[str, Any] = {"endpoint": target.endpoint,
                                "keys": {"p256dh": target.p256dh, "auth": target.auth}}

        async def attempt(_: object) -> None:
            claims: dict[str, str | int] = {"sub": self._keys.subject,
                                            "aud": f"{parts.scheme}://{parts.netloc}"}
            await webpush_async(info, data, vapid_private_key=vapid,
                                vapid_claims=claims, ttl=self._ttl, aiohttp_session=http,
                                timeout=self._policy.attempt_timeout,
                                headers={"Urgency": "normal"})

        try:
            await retry(attempt, policy=self._policy, classify=classify, clock=self._clock)
        except WebPushException as exc:
            status = _status(exc)
            if status in GONE:
                return False
            raise PushRefused(status, str(exc).splitlines()[0][:120]) from None
        return True
