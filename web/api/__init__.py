"""A small JSON API for the companion's own scripts (Mini App, PWA): who am I.

`GET /api/me` answers the signed-in account's id, plan, time zone and linked
identities; anyone else gets a 401 JSON body (never a redirect: a script asked).
It is also the JSON endpoint `bench/web` loads next to a bare aiohttp floor: the
cookie's session row and the account read in one transaction (`web.current.reading`),
two statements, what most signed-in requests cost.
"""

from __future__ import annotations

from aiohttp import web

from core.auth.identities import whoami
from web.current import reading

PRIVATE = {"Cache-Control": "no-store"}


def sign_in_required() -> web.Response:
    """The scripts' answer when nobody (or no live account) is signed in."""
    return web.json_response({"error": "sign_in_required"}, status=401, headers=PRIVATE)


async def me(request: web.Request) -> web.Response:
    async with reading(request) as (current, session):
        user_id = current.user_id
        account = None if user_id is None else await whoami(session, user_id)
    if account is None:
        return sign_in_required()
    return web.json_response({
        "id": account.user_id, "tier": account.tier, "timezone": account.timezone,
        "identities": [{"transport": i.transport, "handle": i.handle}
                       for i in account.identities],
    }, headers=PRIVATE)


def setup(app: web.Application) -> None:
    app.router.add_get("/api/me", me)
