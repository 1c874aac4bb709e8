"""Linked accounts: one ThottoPilot account for Telegram, Discord and the web.

The page lists the identities the signed-in account is made of, hands out a one-time
link code to send with /link in the other app, and takes a code from the other app.
A typed code first shows whom it would join (entering someone else's code would hand
them your account) and links only on an explicit "Join them" (`core.auth.linking`,
the same service as the chat's /link). Every form is CSRF-checked.

If the account this browser is signed in to is the one retired by the link, its
sessions end (`IdentityLinker.link_identity`), so this browser gets a new session on
the surviving account in the same unit of work: the person stays signed in.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from core.auth.errors import AuthError
from core.auth.identities import account_identities
from core.auth.service import VIA_MAGIC_LINK, VIA_MINI_APP
from core.texts import site as texts
from web.bodies import MalformedBody, read_form
from web.current import require_user_id, signed_in_reading, start_session, visit
from web.keys import AUTH_KEY, CORE_KEY
from web.render import form_refused, render

PAGE = "/account/link"
NO_STORE = {"Cache-Control": "no-store"}  # link codes are one-time secrets
PLACES = {"telegram": "Telegram", "discord": "Discord", "console": "Terminal"}
MAX_CODE_CHARS = 32


async def _page(request: web.Request, *, status: int = 200, **context: Any) -> web.Response:
    """The page, its reads in one unit with the session check (unless this request
    already made it: the form posts)."""
    core = request.app[CORE_KEY]
    async with signed_in_reading(request) as (user_id, session):
        account = await account_identities(session, user_id, core.clock.now())
    rows = [{"place": PLACES.get(i.transport, i.transport.capitalize()), "handle": i.handle}
            for i in account.identities]
    missing = [PLACES[t] for t in ("telegram", "discord") if not account.on(t)]
    return await render(request, "link.html", page_title="Linked accounts", status=status,
                        rows=rows, missing=missing, browsers=account.web_sessions,
                        headers=NO_STORE, **context)


async def _checked_form(request: web.Request) -> tuple[int, dict[str, str]] | web.Response:
    """The signed-in user and the form, or the refusal when the CSRF check failed."""
    user_id = await require_user_id(request)
    try:
        form = {k: str(v) for k, v in (await read_form(request)).items()}
    except MalformedBody:
        form = {}
    return await form_refused(request, form) or (user_id, form)


def _refusal(exc: AuthError) -> str:
    return texts.LINK_REFUSED.get(exc.reason, texts.LINK_REFUSED_OTHER)


async def show(request: web.Request) -> web.Response:
    done = texts.LINKED if request.query.get("done") == "linked" else None
    return await _page(request, done=done)


async def new_code(request: web.Request) -> web.Response:
    checked = await _checked_form(request)
    if isinstance(checked, web.Response):
        return checked
    user_id, _ = checked
    core, linker = request.app[CORE_KEY], request.app[AUTH_KEY].linker
    async with core.db.session() as session:
        user = await core.users.get(session, user_id)
        if user is None:
            raise web.HTTPSeeOther("/signin")
        code = await linker.issue_code(session, user)
    minutes = round(linker.ttl.total_seconds() / 60)
    return await _page(request, code=code.display,
                       code_hint=texts.LINK_CODE_HINT.format(code=code.display, minutes=minutes))


async def check_code(request: web.Request) -> web.Response:
    """Whom the code would join: ask before linking."""
    checked = await _checked_form(request)
    if isinstance(checked, web.Response):
        return checked
    user_id, form = checked
    typed = form.get("code", "")[:MAX_CODE_CHARS]
    core = request.app[CORE_KEY]
    try:
        async with core.db.read() as session:
            user = await core.users.get(session, user_id)
            if user is None:
                raise web.HTTPSeeOther("/signin")
            preview = await request.app[AUTH_KEY].linker.preview(session, typed, user)
    except AuthError as exc:
        return await _page(request, status=400, problem=_refusal(exc), typed=typed)
    who = preview.other_label or texts.LINK_SOMEONE
    return await _page(request, confirm=texts.LINK_CONFIRM.format(who=who),
                       typed=typed.strip())


async def confirm(request: web.Request) -> web.Response:
    checked = await _checked_form(request)
    if isinstance(checked, web.Response):
        return checked
    user_id, form = checked
    if form.get("answer") != "yes":
        return await _page(request, done=texts.LINK_CANCELLED)
    current = await visit(request)
    via = current.session.via if current.session else VIA_MAGIC_LINK
    auth, core = request.app[AUTH_KEY], request.app[CORE_KEY]
    try:
        async with core.db.session() as session:
            user = await core.users.get(session, user_id)
            if user is None:
                raise web.HTTPSeeOther("/signin")
            result = await auth.linker.link_identity(
                session, form.get("code", "")[:MAX_CODE_CHARS], user)
            fresh = None
            if result.retired_user_id == user_id:  # this browser's account was retired
                survivor = await core.users.get(session, result.user_id)
                if survivor is None:
                    raise AuthError("no_user")
                fresh = await auth.sessions.create(session, survivor, via)
    except AuthError as exc:
        return await _page(request, status=400, problem=_refusal(exc))
    response = web.HTTPSeeOther(f"{PAGE}?done=linked", headers=NO_STORE)
    if fresh is not None:
        start_session(request, response, fresh, embedded=via == VIA_MINI_APP)
    raise response


def setup(app: web.Application) -> None:
    app.router.add_get(PAGE, show)
    app.router.add_post(PAGE + "/code", new_code)
    app.router.add_post(PAGE + "/check", check_code)
    app.router.add_post(PAGE + "/confirm", confirm)
