"""Telegram's Login Widget on the sign-in page, and the one policy that lets it load.

The widget is Telegram's script (telegram.org) drawing a button in a frame of
oauth.telegram.org; after the person confirms in Telegram, that frame sends the browser
to our `/auth/telegram-login` with the signed fields (checked in `core.auth.telegram`).
Only the sign-in page loads it, and only when `telegram.bot_username` is configured
(the widget names the bot). Every other page keeps scripts and frames from our own
origin only: this page's handler passes its own headers (`widget_headers`), which the
security-header hook keeps (a handler's header wins over the site-wide default).

The confirmation happens in a popup that Telegram's frame opens and that reports back
through `window.opener`; our usual `Cross-Origin-Opener-Policy: same-origin` would cut
that link, so this page alone says `same-origin-allow-popups` (still isolated from
any page that opens it).
"""

from __future__ import annotations

from aiohttp import web

from web.keys import CORE_KEY
from web.middleware import SECURITY_HEADERS

WIDGET_SCRIPT = "https://telegram.org/js/telegram-widget.js?22"
TELEGRAM_ORIGINS = ("https://telegram.org", "https://oauth.telegram.org")
CSP = "Content-Security-Policy"
COOP = "Cross-Origin-Opener-Policy"
CALLBACK = "/auth/telegram-login"


def signin_csp() -> str:
    """The site's policy with Telegram's two origins allowed to script and frame."""
    directives = [d.strip() for d in SECURITY_HEADERS[CSP].split(";") if d.strip()]
    kept = [d for d in directives if not d.startswith(("script-src", "frame-src"))]
    origins = " ".join(TELEGRAM_ORIGINS)
    return "; ".join([*kept, f"script-src 'self' {origins}", f"frame-src {origins}"])


def widget_headers() -> dict[str, str]:
    return {CSP: signin_csp(), COOP: "same-origin-allow-popups"}


def widget(request: web.Request) -> dict[str, str] | None:
    """What the template needs to draw the widget, or None when no bot is configured."""
    settings = request.config_dict[CORE_KEY].settings
    username = settings.telegram.bot_username
    if not username or settings.telegram.token is None:
        return None
    base = settings.web.public_url or f"{request.scheme}://{request.host}"
    return {"script": WIDGET_SCRIPT, "bot": username,
            "auth_url": base.rstrip("/") + CALLBACK}
