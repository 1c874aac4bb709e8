"""The web companion's own pages (issue 11): sign-in, settings, help and the PWA.

One `setup` so `web.app` registers them with a single entry: it adds the sign-in
service and the CSRF signer to the app, then each page module's routes.
"""

from __future__ import annotations

from aiohttp import web

from core.signing import Signer
from web import pwa
from web.account import settings, signin
from web.keys import AUTH_KEY, CORE_KEY, SIGNER_KEY
from web.pages import history, info, miniapp, queue
from web.pwa import push


def setup(app: web.Application) -> None:
    core = app[CORE_KEY]
    app[AUTH_KEY] = core.auth
    app[SIGNER_KEY] = Signer(core.secret_key, core.clock)
    pwa.setup(app)
    push.setup(app)
    signin.setup(app)
    settings.setup(app)
    info.setup(app)
    miniapp.setup(app)
    queue.setup(app)
    history.setup(app)
