"""`POST /internal/notify`: signed calls from our other processes (core.webhooks).

Anyone can reach the route; only a call signed with the installation's internal key
(core.webhooks.internal), inside the replay window and not seen before, is acted on.
Refusals are 401 with the reason in JSON and change nothing. The events:

- `plan_changed` {user_id}: forget the cached tier, so the rate limiter applies the
  new plan's request budget from the next request.
"""

from __future__ import annotations

import json
import logging

from aiohttp import web

from core.webhooks.internal import EVENTS, NOTIFY_PATH, PLAN_CHANGED, internal_key
from core.webhooks.seen import seen_ids
from core.webhooks.signing import HEADER, SignatureError, Verifier
from web.bodies import read_capped
from web.keys import CORE_KEY
from web.ratelimit import RATE_LIMITER_KEY

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 16 * 1024
INTERNAL_VERIFIER_KEY = web.AppKey("internal_verifier", Verifier)


def _refused(reason: str, status: int = 400) -> web.Response:
    return web.json_response({"error": reason}, status=status)


async def notify(request: web.Request) -> web.Response:
    body = await read_capped(request, MAX_BODY_BYTES, as_json=True)
    try:
        await request.app[INTERNAL_VERIFIER_KEY].verify(request.headers.get(HEADER), body)
    except SignatureError as exc:
        log.warning("internal call refused (%s) from %s", exc.reason, request.remote)
        return _refused(exc.reason, 401)
    try:
        message = json.loads(body)
    except ValueError:
        return _refused("malformed_json")
    if not isinstance(message, dict) or message.get("event") not in EVENTS:
        return _refused("unknown_event")
    user_id = message.get("user_id")
    if message["event"] == PLAN_CHANGED:
        if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
            return _refused("bad_user_id")
        limiter = request.app.get(RATE_LIMITER_KEY)
        if limiter is not None:
            limiter.tiers.forget(user_id)
    return web.json_response({"ok": True})


def setup(app: web.Application) -> None:
    core = app[CORE_KEY]
    seen = seen_ids(core.settings, core.clock, "internal")
    app[INTERNAL_VERIFIER_KEY] = Verifier(
        [internal_key(core.secret_key)], core.clock, seen,
        core.settings.webhooks.replay_window_seconds)

    async def close(_: web.Application) -> None:
        await seen.aclose()

    app.on_cleanup.append(close)
    app.router.add_post(NOTIFY_PATH, notify)
