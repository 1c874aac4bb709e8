"""`/r/<code>`: a creator's web invite link.

Following it gives this browser a short-lived signed cookie (core.referrals signs the
code and the moment) and goes on to sign-in. Attribution happens at sign-up: the first
request that comes with both the cookie and a signed-in session hands them to
`Referrals.attribute_visit` (which attributes only an account made after the visit)
and the cookie is dropped, whatever the outcome. A forged or stale cookie attributes
nothing and never gets in anyone's way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from core.referrals.service import Referrals
from core.texts import site as texts
from web.current import current_user_id, is_https
from web.keys import CORE_KEY
from web.render import message

COOKIE = "tp_ref"
REFERRALS_KEY = web.AppKey("referrals", Referrals)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def follow(request: web.Request) -> web.StreamResponse:
    cookie = request.app[REFERRALS_KEY].visit_cookie(request.match_info["code"])
    if cookie is None:
        heading, text = texts.REFERRAL_BAD_LINK
        return await message(request, heading, text, status=404)
    signed_in = await current_user_id(request) is not None
    response = web.HTTPSeeOther("/settings" if signed_in else "/signin")
    if not signed_in:  # someone with an account already is never attributed
        ttl = request.app[REFERRALS_KEY].cookie_ttl
        response.set_cookie(COOKIE, cookie, max_age=int(ttl.total_seconds()), path="/",
                            httponly=True, samesite="Lax", secure=is_https(request))
    raise response


@web.middleware
async def claim(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Attribute a sign-up to the invite this browser followed, then forget the invite."""
    cookie = request.cookies.get(COOKIE)
    if not cookie or request.path.startswith("/r/"):
        return await handler(request)
    user_id = await current_user_id(request)
    if user_id is None:
        return await handler(request)
    core = request.app[CORE_KEY]
    async with core.db.session() as session:
        user = await core.users.get(session, user_id)
        if user is not None:
            await request.app[REFERRALS_KEY].attribute_visit(session, user, cookie)
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        _forget(request, exc)
        raise
    _forget(request, response)
    return response


def _forget(request: web.Request, response: web.StreamResponse) -> None:
    if not response.prepared:
        response.del_cookie(COOKIE, path="/", secure=is_https(request), httponly=True,
                            samesite="Lax")


def setup(app: web.Application) -> None:
    app[REFERRALS_KEY] = Referrals.from_core(app[CORE_KEY])
    app.router.add_get("/r/{code}", follow)
    app.middlewares.append(claim)
