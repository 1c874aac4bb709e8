"""Push subscriptions from the settings page: JSON routes the push.js module calls.

`PushManager.subscribe()` runs in the browser with our VAPID public key (on the page as
`data-vapid-key`); the resulting subscription is POSTed here as JSON. Every route needs
a signed-in session and this session's CSRF token in the `X-CSRF-Token` header (the
same token the page's forms carry); a refusal is JSON with a message a person can read.
"""

from __future__ import annotations

from aiohttp import web

from core.push import subscriptions
from core.push.service import PushMessage, PushService
from core.push.subscriptions import SubscriptionRejected
from core.texts import site as texts
from web.bodies import read_json_object
from web.csrf import FIELD, valid
from web.current import current_user_id, visit
from web.keys import CORE_KEY

PUSH_KEY = web.AppKey("push", PushService)
HEADER = "X-CSRF-Token"
MAX_BODY = 4096


def push_key(request: web.Request) -> str:
    """The VAPID public key browsers subscribe with (base64url)."""
    return request.config_dict[PUSH_KEY].public_key


def _json(status: int, **data: object) -> web.Response:
    return web.json_response(data, status=status, headers={"Cache-Control": "no-store"})


async def _checked(request: web.Request) -> tuple[int, dict[str, object]] | web.Response:
    """(user id, JSON body) or the refusal to send back."""
    user_id = await current_user_id(request)
    if user_id is None:
        return _json(401, error=texts.PUSH_ERRORS["signin"])
    try:
        body = await read_json_object(request, max_bytes=MAX_BODY)
    except web.HTTPException as refused:
        return _json(refused.status, error=texts.PUSH_ERRORS["not_json"])
    token = request.headers.get(HEADER) or body.get(FIELD)
    if not valid(request, (await visit(request)).token, token):
        return _json(403, error=texts.PUSH_ERRORS["csrf"])
    return user_id, body


async def subscribe(request: web.Request) -> web.Response:
    checked = await _checked(request)
    if isinstance(checked, web.Response):
        return checked
    user_id, body = checked
    core = request.app[CORE_KEY]
    try:
        new = request.config_dict[PUSH_KEY].parse(body)
    except SubscriptionRejected as rejected:
        return _json(400, error=texts.PUSH_ERRORS[rejected.code])
    current = (await visit(request)).session  # signing it out forgets this device
    async with core.db.session() as session:
        await subscriptions.subscribe(session, user_id, new, core.clock.now(),
                                      current.id_hash if current else None)
    return _json(201, ok=True, message=texts.PUSH_ON)


async def unsubscribe(request: web.Request) -> web.Response:
    checked = await _checked(request)
    if isinstance(checked, web.Response):
        return checked
    user_id, body = checked
    endpoint = body.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        return _json(400, error=texts.PUSH_ERRORS["bad_endpoint"])
    core = request.app[CORE_KEY]
    async with core.db.session() as session:
        await subscriptions.unsubscribe(session, user_id, endpoint)
    return _json(200, ok=True, message=texts.PUSH_OFF)


async def test_push(request: web.Request) -> web.Response:
    """Send a test notification to this person's browsers (no transaction held)."""
    checked = await _checked(request)
    if isinstance(checked, web.Response):
        return checked
    user_id, _ = checked
    title, body = texts.PUSH_TEST
    report = await request.config_dict[PUSH_KEY].send_to_user(
        user_id, None, PushMessage(title, body, "/settings#notifications", tag="test"))
    if not report.sent:
        return _json(409, error=texts.PUSH_ERRORS["none_reached"], sent=0)
    return _json(200, ok=True, sent=report.sent, message=texts.PUSH_TEST_SENT)


def setup(app: web.Application) -> None:
    app[PUSH_KEY] = PushService(app[CORE_KEY])
    app.router.add_post("/push/subscribe", subscribe)
    app.router.add_post("/push/unsubscribe", unsubscribe)
    app.router.add_post("/push/test", test_push)
