"""Request metrics, slow-request logging, the events' web origin, and GET /metrics.

The middleware is the outermost one, so it sees every answer's final status (the
error middleware's 500, the rate limiter's 429). Durations are labelled with the route
template (`/queue/{job_id}`; "unmatched" for a 404), never the raw path; slow requests
are logged with that template and the method only: no query string, no ids, no secrets.
Time is measured on the injected clock, so tests move it instead of sleeping.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from core.events import origin
from web.current import cookie_name
from web.keys import CORE_KEY

log = logging.getLogger(__name__)

UNMATCHED = "unmatched"
UNTIMED = web.RequestKey("untimed", bool)


def untimed(request: web.Request) -> None:
    """Mark a response that lasts as long as someone watches (a server-sent event
    stream, /admin/live): its duration is no request latency, neither timed nor slow."""
    request[UNTIMED] = True


def route_template(request: web.Request) -> str:
    """The matched resource's canonical path, e.g. /queue/{job_id}."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else UNMATCHED


def session_id(request: web.Request) -> str | None:
    """A stable, non-secret id of the browser session (a hash of the cookie)."""
    token = request.cookies.get(cookie_name(request))
    return "web:" + hashlib.sha256(token.encode()).hexdigest()[:16] if token else None


@web.middleware
async def monitor(request: web.Request, handler: Handler) -> web.StreamResponse:
    core = request.config_dict[CORE_KEY]
    start = core.clock.monotonic()
    status = 500
    try:
        with origin("web", session_id(request)):
            response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        elapsed = core.clock.monotonic() - start
        route = route_template(request)
        streamed = request.get(UNTIMED, False)
        if not streamed:
            core.analytics.metrics.observe_request(route, request.method, status, elapsed)
        if not streamed and elapsed >= core.settings.monitoring.slow_request_seconds:
            log.warning("slow request: %s %s answered %d in %.2f s",
                        request.method, route, status, elapsed)


async def metrics(request: web.Request) -> web.Response:
    """Prometheus' scrape: a 404 unless a token is configured, then Bearer <token>."""
    core = request.config_dict[CORE_KEY]
    token = core.settings.monitoring.metrics_token
    if token is None:
        raise web.HTTPNotFound()
    expected = f"Bearer {token.get_secret_value()}".encode()
    if not hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected):
        raise web.HTTPUnauthorized(headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    body, content_type = core.analytics.metrics.render()
    return web.Response(body=body, headers={"Content-Type": content_type,
                                            "Cache-Control": "no-store"})


def setup(app: web.Application) -> None:
    app.middlewares.insert(0, monitor)
    app.router.add_get("/metrics", metrics)
