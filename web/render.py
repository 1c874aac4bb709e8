"""Render a page with what every page needs: sign-in state, the form token, the path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from core.texts import site
from web.csrf import FIELD, token_for, valid
from web.current import visit
from web.keys import TEMPLATES_KEY
from web.pages.miniapp import CSP, in_mini_app, mini_app_csp


async def render(request: web.Request, name: str, *, status: int = 200,
                 headers: dict[str, str] | None = None, **context: Any) -> web.Response:
    """`templates/<name>` as HTML; pages behind sign-in get `csrf` for their forms."""
    current = await visit(request)
    if in_mini_app(current):  # Telegram's script and frame, on this session's pages only
        context.setdefault("mini_app", True)
        headers = {CSP: mini_app_csp(), **(headers or {})}
    context.setdefault("signed_in", current.user_id is not None)
    context.setdefault("csrf", token_for(request, current.token) if current.token else "")
    context.setdefault("path", request.path)
    template = request.app[TEMPLATES_KEY].get_template(name)
    html = await template.render_async(**context)
    return web.Response(text=html, status=status, content_type="text/html", headers=headers)


async def message(request: web.Request, heading: str, text: str, *, status: int = 200,
                  headers: dict[str, str] | None = None) -> web.Response:
    """A one-message page (errors, confirmations)."""
    return await render(request, "message.html", status=status, headers=headers,
                        page_title=heading, heading=heading, text=text)


async def form_refused(request: web.Request, form: Mapping[str, object]) -> web.Response | None:
    """The "this form has expired" page (403), unless `form` carries this session's
    CSRF token and came from our own pages; None when the form may go ahead."""
    if valid(request, (await visit(request)).token, form.get(FIELD)):
        return None
    return await message(request, *site.CSRF_FAILED, status=403)
