"""Landing page and health check."""

from __future__ import annotations

from aiohttp import web

from web.keys import CORE_KEY, TEMPLATES_KEY


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
    core = request.app[CORE_KEY]
    template = request.app[TEMPLATES_KEY].get_template("index.html")
    html = await template.render_async(version=core.version)
    return web.Response(text=html, content_type="text/html")


def setup(app: web.Application) -> None:
    app.router.add_get("/", landing)
    app.router.add_get("/healthz", healthz)
