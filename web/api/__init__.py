"""A small JSON API for the companion's own scripts (Mini App, PWA): who am I.

`GET /api/me` answers the signed-in account's id, plan, time zone and linked
identities; anyone else gets a 401 JSON body (never a redirect: a script asked).
It is also the JSON endpoint `bench/web` loads next to a bare aiohttp floor: the
cookie's session lookup and one query, what most signed-in requests cost.
"""

from __future__ import annotations

from aiohttp import web

from core.auth.identities import whoami
from web.current import current_user_id
from web.keys import CORE_KEY

PRIVATE = {"Cache-Control": "no-store"}


async def me(request: web.Request) -> web.Response:
    user_id = await current_user_id(request)
    if user_id is None:
        return web.json_response({"error": "sign_in_required"}, status=401, headers=PRIVATE)
    async with request.app[CORE_KEY].db.read() as session:
        account = await whoami(session, user_id)
    if account is None:
        return web.json_response({"error": "sign_in_required"}, status=401, headers=PRIVATE)
    return web.json_response({
        "id": account.user_id, "tier": account.tier, "timezone": account.timezone,
        "identities": [{"transport": i.transport, "handle": i.handle}
                       for i in account.identities],
    }, headers=PRIVATE)


def setup(app: web.Application) -> None:
    app.router.add_get("/api/me", me)
