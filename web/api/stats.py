"""`GET /api/stats`: the signed-in creator's post performance as JSON (core.outcomes.stats),
the same numbers /stats draws in the chat, for the web dashboard's scripts. Plans
without analytics get the headline only, like the chat."""

from __future__ import annotations

from aiohttp import web

from core.outcomes.stats import creator_stats
from web.api import PRIVATE, sign_in_required
from web.current import reading
from web.keys import CORE_KEY


async def stats(request: web.Request) -> web.Response:
    core = request.app[CORE_KEY]
    # A unit of work, not a read: the plan check may record a lapsed plan's end.
    async with reading(request, writes=True) as (current, session):
        user_id = current.user_id
        if user_id is None:
            return sign_in_required()
        user = await core.users.get(session, user_id)
        if user is None:
            return sign_in_required()
        charts = await core.billing.can_use(session, user, "analytics")
        zone = user.timezone or "UTC"
    data = (await creator_stats(core, user_id, zone)).to_json()
    if not charts:
        data = {k: v for k, v in data.items() if not k.startswith("by_")}
    data["analytics"] = charts
    return web.json_response(data, headers=PRIVATE)


def setup(app: web.Application) -> None:
    app.router.add_get("/api/stats", stats)
