"""/admin/live: the launch dashboard, refreshed over server-sent events (admins only).

The page shows today's sign-ups, active users, captions, posts, errors, revenue and
load; `static/live.js` (no inline script) opens an `EventSource` on /admin/live/stream,
which sends one `snapshot` event (JSON from `core.analytics.live`) right away and then
every `launch.live_every_seconds`. A stream ends when the admin leaves (aiohttp cancels
the handler, or the next write finds the connection gone) and when the app shuts down
(its `on_shutdown` wakes every stream), so a stop never waits on an open dashboard.
Streams are not timed as requests (`web.monitoring.untimed`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass

from aiohttp import web

from web.admin import require_admin
from web.keys import CORE_KEY
from web.monitoring import untimed
from web.render import render


@dataclass
class Streams:
    """This app's open streams: `stop` wakes them all at shutdown; `open` counts them."""

    stop: asyncio.Event
    open: int = 0


STREAMS_KEY = web.AppKey("live_streams", Streams)
log = logging.getLogger(__name__)
STREAM_PATH = "/admin/live/stream"
EVENT_STREAM = "text/event-stream"


def event(name: str, data: object) -> bytes:
    """One server-sent event: `event:` and a single-line JSON `data:`, then a blank line."""
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


async def page(request: web.Request) -> web.Response:
    await require_admin(request)
    core = request.config_dict[CORE_KEY]
    first = await core.analytics.live()
    return await render(request, "admin_live.html", page_title="Live", first=first,
                        stream=STREAM_PATH, headers={"Cache-Control": "no-store"})


async def stream(request: web.Request) -> web.StreamResponse:
    await require_admin(request)
    untimed(request)
    core = request.config_dict[CORE_KEY]
    streams = request.app[STREAMS_KEY]
    every = core.settings.launch.live_every_seconds
    response = web.StreamResponse(headers={
        "Content-Type": EVENT_STREAM, "Cache-Control": "no-store",
        "X-Accel-Buffering": "no"})  # a proxy in front must not hold events back
    await response.prepare(request)
    streams.open += 1
    try:
        await response.write(f"retry: {int(every * 1000)}\n\n".encode())
        while not streams.stop.is_set():
            snapshot = await core.analytics.live()
            await response.write(event("snapshot", snapshot.as_json()))
            if request.transport is None or request.transport.is_closing():
                return response  # the admin left
            with contextlib.suppress(TimeoutError):
                async with core.clock.timeout(every):
                    await streams.stop.wait()
        await response.write(event("bye", {}))
    except ConnectionError:  # the admin left while we wrote
        pass
    except Exception as exc:  # headers are sent: no 500 page now; end, the browser retries
        log.exception("the live stream failed")
        await core.analytics.errors.capture(exc, "web", route=STREAM_PATH, method="GET")
    finally:  # also when aiohttp cancels us because the admin left
        streams.open -= 1
    return response


async def _wake_streams(app: web.Application) -> None:
    app[STREAMS_KEY].stop.set()


def setup(app: web.Application) -> None:
    app[STREAMS_KEY] = Streams(asyncio.Event())
    app.on_shutdown.append(_wake_streams)
    app.router.add_get("/admin/live", page)
    app.router.add_get(STREAM_PATH, stream)
