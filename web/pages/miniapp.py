"""The Telegram Mini App: the same pages, opened from a bot button inside Telegram.

`/app` is the Mini App's URL. Its script hands Telegram's `initData` to
`/auth/webapp` (verified in core.auth) and moves on to the settings page, signed in.
Pages of a session that began in the Mini App load Telegram's own script (theme
colours, back button) and may be framed by Telegram's web clients; every other page
keeps `frame-ancestors 'none'` and scripts from our own origin only.
"""

from __future__ import annotations

from aiohttp import web

from core.auth.service import VIA_MINI_APP
from web.current import Visit
from web.middleware import SECURITY_HEADERS

TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"
TELEGRAM_FRAMERS = ("https://web.telegram.org", "https://webk.telegram.org",
                    "https://webz.telegram.org")
CSP = "Content-Security-Policy"


def mini_app_csp() -> str:
    """Our usual policy, plus Telegram's script and Telegram Web as a parent frame."""
    directives = [d.strip() for d in SECURITY_HEADERS[CSP].split(";") if d.strip()]
    kept = [d for d in directives if not d.startswith(("frame-ancestors", "script-src"))]
    return "; ".join([*kept, "script-src 'self' https://telegram.org",
                      "frame-ancestors 'self' " + " ".join(TELEGRAM_FRAMERS)])


def in_mini_app(current: Visit) -> bool:
    return current.session is not None and current.session.via == VIA_MINI_APP


async def entry(request: web.Request) -> web.Response:
    from web.render import render  # render imports this module for `in_mini_app`

    return await render(request, "miniapp.html", page_title="Opening ThottoPilot",
                        mini_app=True, headers={CSP: mini_app_csp(),
                                                "Cache-Control": "no-store"})


def setup(app: web.Application) -> None:
    app.router.add_get("/app", entry)
