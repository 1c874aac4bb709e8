"""The web companion: `init_app(core)` builds the aiohttp application.

It receives a ready `Core` and never imports `bot/`. Features add their routes by
appending a `setup(app)` function's module to `ROUTE_MODULES`; chat transports that
need HTTP (Telegram webhooks, the web chat) mount their routes from the runner.
"""

from __future__ import annotations

import importlib

import jinja2
from aiohttp import web

from core.bootstrap import Core
from web import pages, ratelimit
from web.keys import CORE_KEY, TEMPLATES_KEY
from web.middleware import error_middleware, install_security_headers

# Modules under web/ (dotted below it) that define `setup(app: web.Application) -> None`.
ROUTE_MODULES: tuple[str, ...] = (
    "account.reddit", "pages.companion", "billing.checkout", "account.link", "monitoring",
    "admin.dashboard", "admin.live", "api", "api.internal", "billing.referrals",
    "account.usage", "admin.experiments", "api.stats", "account.privacy")


def init_app(core: Core) -> web.Application:
    app = web.Application(
        middlewares=[error_middleware],
        client_max_size=core.settings.limits.max_upload_bytes + 1024 * 1024,
    )
    app[CORE_KEY] = core
    app[TEMPLATES_KEY] = jinja2.Environment(
        loader=jinja2.PackageLoader("web", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        enable_async=True,
    )
    install_security_headers(app)
    ratelimit.install(app)  # after error_middleware: budgets run after sign-in lookup
    pages.setup(app)
    for name in ROUTE_MODULES:
        importlib.import_module(f"web.{name}").setup(app)
    return app
