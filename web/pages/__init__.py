"""Landing page and health check."""

from __future__ import annotations

from aiohttp import web

from core.texts import site as texts
from web.keys import CORE_KEY


async def healthz(request: web.Request) -> web.Response:
    """Liveness + readiness in one: 200 when the database answers, 503 when it does not."""
    core = request.app[CORE_KEY]
    db_ok = await core.db.ping()
    body = {
        "status": "ok" if db_ok else "degraded",
        "database": {"reachable": db_ok, "dialect": core.db.dialect},
        "version": core.version,
    }
    return web.json_response(body, status=200 if db_ok else 503)


async def landing(request: web.Request) -> web.Response:
    from web.render import render  # render needs the sign-in machinery; /healthz does not

    return await render(request, "index.html", page_title="Your Reddit co-pilot",
                        description=texts.SITE_DESCRIPTION,
                        version=request.app[CORE_KEY].version)


def setup(app: web.Application) -> None:
    app.router.add_get("/", landing)
    app.router.add_get("/healthz", healthz)
