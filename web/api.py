"""A small JSON API for the companion's own scripts (Mini App, PWA): who am I.

`GET /api/me` answers the signed-in account's id, plan, time zone and linked
identities; anyone else gets a 401 JSON body (never a redirect: a script asked).
It is also the JSON endpoint `bench/web` loads next to a bare aiohttp floor: a
cookie lookup and one read, which is what most signed-in requests cost.
"""

from __future__ import annotations

from aiohttp import web

from core.auth.identities import account_identities
from web.current import current_user_id
from web.keys import CORE_KEY

PRIVATE = {"Cache-Control": "no-store"}


async def me(request: web.Request) -> web.Response:
    user_id = await current_user_id(request)
    if user_id is None:
        return web.json_response({"error": "sign_in_required"}, status=401, headers=PRIVATE)
    core = request.app[CORE_KEY]
    async with core.db.read() as session:
        user = await core.users.get(session, user_id)
        if user is None:
            return web.json_response({"error": "sign_in_required"}, status=401,
                                     headers=PRIVATE)
        account = await account_identities(session, user_id, core.clock.now())
        body = {"id": user.id, "tier": user.tier, "timezone": user.timezone,
                "identities": [{"transport": i.transport, "handle": i.handle}
                               for i in account.identities],
                "web_sessions": account.web_sessions}
    return web.json_response(body, headers=PRIVATE)


def setup(app: web.Application) -> None:
    app.router.add_get("/api/me", me)
