"""Sign a web client in the way a person does: a magic link from the bot, then Continue.

Shared by the aiohttp test-client specs and the browser tests. The link is minted by
the real `core.auth` service (what `/web` in the chat calls); nothing is patched.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from core.auth.models import WebSession
from core.bootstrap import Core
from core.users import Who

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ALICE = Who("telegram", "4242", display_name="Alice", username="alice")


async def magic_link(core: Core, who: Who = ALICE) -> tuple[int, str, str]:
    """(user id, token, full URL) of a fresh sign-in link for `who` (created if new)."""
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, who)
        link = await core.auth.magic_links.issue(session, user)
    return user.id, link.token, link.url


async def sign_in(client: TestClient, core: Core, who: Who = ALICE) -> int:
    """Follow a magic link in `client` and press Continue; returns the user id."""
    user_id, token, _ = await magic_link(core, who)
    resp = await client.post("/signin", data={"t": token}, allow_redirects=False)
    assert resp.status == 303, await resp.text()
    return user_id


async def last_seen(core: Core, user_id: int) -> datetime | None:
    """When the user's web session was last rolled forward (what a page view touches)."""
    async with core.db.read() as session:
        return await session.scalar(
            select(WebSession.last_seen_at).where(WebSession.user_id == user_id))


async def csrf_token(client: TestClient, path: str = "/settings") -> str:
    """The form token a signed-in page hands out."""
    resp = await client.get(path)
    match = CSRF.search(await resp.text())
    assert match, f"no CSRF token on {path}"
    return match.group(1)


async def page_text(resp: ClientResponse) -> str:
    """The page as a person reads it (HTML entities decoded: "doesn't", not "doesn&#39;t")."""
    return html.unescape(await resp.text())
