"""The gate in front of every admin page: signed in, and an admin (`core.auth.admins`).

A signed-in non-admin gets a plain 404 rather than 403, so the pages' existence is not
advertised; anonymous visitors are sent to sign in like on any other page.
"""

from __future__ import annotations

from aiohttp import web

from core.auth.admins import is_admin
from web.current import require_user_id
from web.keys import CORE_KEY


async def require_admin(request: web.Request) -> int:
    """The admin's user id, or the request ends (sign-in redirect / 401 / 404)."""
    user_id = await require_user_id(request)
    core = request.config_dict[CORE_KEY]
    async with core.db.read() as session:
        allowed = await is_admin(session, core.settings, user_id)
    if not allowed:
        raise web.HTTPNotFound()
    return user_id
