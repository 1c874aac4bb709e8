"""A local Web Push service (what FCM or Mozilla's autopush are to a browser), on
127.0.0.1, receiving the real encrypted request pywebpush sends.

It checks what a real push service checks: `Authorization: vapid t=<JWT>,k=<key>` with
an ES256 signature by that key, `aud` = this service's origin, an unexpired `exp` and a
`sub`; `Content-Encoding: aes128gcm`; a `TTL`. Then it stands in for the browser too:
a `Browser` made here holds the subscription's private P-256 key and auth secret (as a
real browser would) and decrypts the RFC 8291 body with `http_ece`, so a test reads the
very message a phone would show. Tests script answers per subscription: 410 (gone),
a 5xx, or a 429 with Retry-After.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """One browser's push subscription: the keys only the browser knows."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        return _b64(self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))

    def to_json(self, label: str | None = "Chrome on Android") -> dict[str, Any]:
        """What `PushSubscription.toJSON()` gives the page (plus our device label)."""
        data: dict[str, Any] = {"endpoint": self.endpoint, "expirationTime": None,
                                "keys": {"p256dh": self.p256dh, "auth": _b64(self.auth)}}
        if label is not None:
            data["label"] = label
        return data

    def decrypt(self, body: bytes) -> dict[str, Any]:
        import http_ece

        plain = http_ece.decrypt(body, private_key=self.private_key,
                                 auth_secret=self.auth, version="aes128gcm")
        return dict(json.loads(plain))


@dataclass
class Delivery:
    """One push request that the service accepted, decrypted for the test."""

    browser: Browser
    message: dict[str, Any]
    vapid_key: str  # the `k` the request was signed with
    claims: dict[str, Any]
    headers: dict[str, str]  # names in lower case


@dataclass
class FakePushService:
    browsers: dict[str, Browser] = field(default_factory=dict)
    delivered: list[Delivery] = field(default_factory=list)
    refused: list[tuple[str, int, str]] = field(default_factory=list)  # token, status, why
    scripted: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)  # set on each delivery
    _server: TestServer | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/wpush/{token}", self._receive)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    @property
    def origin(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("")).rstrip("/")

    def browser(self) -> Browser:
        """A new subscription, as `PushManager.subscribe()` would make one."""
        token = secrets.token_urlsafe(16)
        found = Browser(f"{self.origin}/wpush/{token}",
                        ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        self.browsers[token] = found
        return found

    def answer(self, browser: Browser, status: int, times: int = 1,
               headers: dict[str, str] | None = None) -> None:
        """The next `times` requests for `browser` get `status` (then 201 again)."""
        token = browser.endpoint.rsplit("/", 1)[1]
        self.scripted.setdefault(token, []).extend([(status, headers or {})] * times)

    def unsubscribed(self, browser: Browser) -> None:
        """The person turned notifications off in the browser: 410 Gone from now on."""
        self.answer(browser, 410, times=1000)

    def to(self, browser: Browser) -> list[dict[str, Any]]:
        return [d.message for d in self.delivered if d.browser is browser]

    def _check_vapid(self, request: web.Request) -> tuple[str, dict[str, Any]] | str:
        scheme, _, params = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "vapid":
            return "no vapid authorization"
        parts = dict(p.split("=", 1) for p in params.split(",") if "=" in p)
        token, key = parts.get("t", ""), parts.get("k", "")
        try:
            head, body, sig = token.split(".")
            header = json.loads(_unb64(head))
            claims = json.loads(_unb64(body))
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(key))
            raw = _unb64(sig)
            der = encode_dss_signature(int.from_bytes(raw[:32], "big"),
                                       int.from_bytes(raw[32:], "big"))
            public.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
        except (ValueError, InvalidSignature):
            return "bad JWT signature"
        if header.get("alg") != "ES256" or header.get("typ", "JWT") != "JWT":
            return "not ES256"
        if claims.get("aud") != self.origin:
            return f"aud {claims.get('aud')!r} is not {self.origin}"
        if not isinstance(claims.get("exp"), int) or claims["exp"] <= time.time() \
                or claims["exp"] > time.time() + 24 * 3600:
            return "exp missing, past, or more than 24 h ahead"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
            return "sub missing"
        return key, claims

    async def _receive(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        browser = self.browsers.get(token)
        if browser is None:
            return web.Response(status=404, text="no such subscription")
        checked = self._check_vapid(request)
        if isinstance(checked, str):
            self.refused.append((token, 401, checked))
            return web.Response(status=401, text=checked)
        if request.headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in request.headers:
            self.refused.append((token, 400, "encoding or TTL"))
            return web.Response(status=400, text="aes128gcm body and TTL required")
        body = await request.read()
        queue = self.scripted.get(token)
        if queue:
            status, headers = queue.pop(0)
            return web.Response(status=status, headers=headers, text="scripted")
        key, claims = checked
        self.delivered.append(Delivery(browser, browser.decrypt(body), key, claims,
                                       {k.lower(): v for k, v in request.headers.items()}))
        self.arrived.set()
        return web.Response(status=201)


@asynccontextmanager
async def running_fake_push() -> AsyncIterator[FakePushService]:
    fake = FakePushService()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
