"""Security headers on every response and one error handler for the whole site.

Headers are stamped in `on_response_prepare`, not in a middleware: a middleware never
sees the 404/405 that routing raises, the 413 from an oversized body or a 500 that
escapes the handler, and each of those is a page a browser renders too. The same hook
removes aiohttp's `Server: Python/x aiohttp/y` banner, which only helps an attacker pick
an exploit.

Framing is decided per route by the response's own Content-Security-Policy: pages
default to `frame-ancestors 'none'` plus the legacy `X-Frame-Options: DENY`; a route
that may be framed (the Telegram Mini App's pages, web.pages.miniapp) sets its own
`frame-ancestors`, and then no X-Frame-Options is sent, since DENY would block
Telegram's web clients in browsers that still honour it over CSP.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler
from multidict import CIMultiDict

from core.texts import site as texts
from web.keys import CORE_KEY
from web.logging import is_private_path, redact_path
from web.monitoring import route_template

log = logging.getLogger(__name__)

SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
}
XFO = "X-Frame-Options"
CSP = "Content-Security-Policy"
HSTS = "max-age=31536000; includeSubDomains"
# Paths whose answers are JSON whatever the Accept header says.
JSON_PREFIXES: tuple[str, ...] = ("/api/", "/healthz", "/internal/", "/auth/webapp")
NO_STORE = "no-store"


def security_headers(public_url: str | None) -> dict[str, str]:
    """The headers every response carries; HSTS only when the site is served over https.

    (Sending HSTS from a plain-http deployment is ignored by browsers at best and locks
    a misconfigured one out at worst.)
    """
    headers = dict(SECURITY_HEADERS)
    if (public_url or "").lower().startswith("https://"):
        headers["Strict-Transport-Security"] = HSTS
    return headers


def frame_ancestors(csp: str) -> str | None:
    """The value of a policy's frame-ancestors directive, if it has one."""
    for directive in csp.split(";"):
        name, _, value = directive.strip().partition(" ")
        if name.lower() == "frame-ancestors":
            return value.strip()
    return None


def stamp(headers: CIMultiDict[str], path: str, public_url: str | None) -> None:
    """Add the security headers (a handler's own choice wins) and drop the banner."""
    for name, value in security_headers(public_url).items():
        if name == XFO:
            continue
        headers.setdefault(name, value)
    if frame_ancestors(headers.get(CSP, "")) in ("'none'", None):
        headers.setdefault(XFO, SECURITY_HEADERS[XFO])
    else:  # this route may be framed (CSP says by whom): DENY would contradict it
        headers.popall(XFO, None)
    if is_private_path(path):
        # OAuth and sign-in pages hold one-time tokens: never keep them in a cache.
        headers["Cache-Control"] = NO_STORE
    headers.popall("Server", None)


async def _on_response_prepare(request: web.Request, response: web.StreamResponse) -> None:
    public_url = request.config_dict[CORE_KEY].settings.web.public_url
    stamp(response.headers, request.path, public_url)


def install_security_headers(app: web.Application) -> None:
    """Stamp every response of `app` (and of sub-apps, whose hooks chain to it)."""
    app.on_response_prepare.append(_on_response_prepare)


def wants_json(request: web.Request) -> bool:
    """Answer this request's errors in JSON: JSON routes, and clients that ask for JSON
    and not for HTML (fetch calls; a browser's page load always accepts text/html)."""
    if request.path.startswith(JSON_PREFIXES):
        return True
    accept = request.headers.get("Accept", "").lower()
    return "application/json" in accept and "text/html" not in accept


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Unexpected errors become a calm 500 page (JSON for API paths); details go to logs."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception as exc:
        log.exception("unhandled error on %s %s", request.method, redact_path(request.path))
        await request.config_dict[CORE_KEY].analytics.errors.capture(  # dashboard, Sentry
            exc, "web", route=route_template(request), method=request.method)
        if wants_json(request):
            return web.json_response({"error": "internal_error"}, status=500)
        return web.Response(
            text=texts.SERVER_ERROR,
            status=500,
        )
