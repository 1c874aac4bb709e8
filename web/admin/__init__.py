"""The gate in front of every admin page: signed in, and an admin (`core.auth.admins`).

A signed-in non-admin gets a plain 404 rather than 403, so the pages' existence is not
advertised; anonymous visitors are sent to sign in like on any other page. The session
check and the admin check are one read unit (`web.current.signed_in_reading`), which a
page may go on reading in (`admin_reading`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.admins import is_admin
from web.current import signed_in_reading
from web.keys import CORE_KEY


@asynccontextmanager
async def admin_reading(request: web.Request) -> AsyncIterator[tuple[int, AsyncSession]]:
    """The admin's user id and the read unit that checked it, or the request ends
    (sign-in redirect / 401 / 404) before any page read."""
    core = request.config_dict[CORE_KEY]
    async with signed_in_reading(request) as (user_id, session):
        if not await is_admin(session, core.settings, user_id):
            raise web.HTTPNotFound()
        yield user_id, session


async def require_admin(request: web.Request) -> int:
    """The admin's user id, or the request ends (sign-in redirect / 401 / 404)."""
    async with admin_reading(request) as (user_id, _):
        return user_id
