"""The web companion's own pages (issue 11): sign-in, settings, help and the PWA.

One `setup` so `web.app` registers them with a single entry: it adds the sign-in
service and the CSRF signer to the app, then each page module's routes.
"""

from __future__ import annotations

from aiohttp import web

from core.signing import Signer
from web import (
    auth_routes,
    history_page,
    info_pages,
    miniapp_page,
    push_routes,
    pwa,
    queue_page,
    settings_routes,
)
from web.keys import AUTH_KEY, CORE_KEY, SIGNER_KEY


def setup(app: web.Application) -> None:
    core = app[CORE_KEY]
    app[AUTH_KEY] = core.auth
    app[SIGNER_KEY] = Signer(core.secret_key, core.clock)
    pwa.setup(app)
    push_routes.setup(app)
    auth_routes.setup(app)
    settings_routes.setup(app)
    info_pages.setup(app)
    miniapp_page.setup(app)
    queue_page.setup(app)
    history_page.setup(app)
