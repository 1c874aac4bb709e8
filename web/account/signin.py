"""Signing in and out of the web companion.

Three ways in, all checked by `core.auth`:
- a magic link from the bot (`/signin?t=...`, or `/signin/<token>`): the GET only shows
  "Continue as ..." (chat apps and mail scanners open links to draw previews, and must
  not use the link up); the Continue POST redeems it, once;
- Telegram's Login Widget, whose data arrives at `/auth/telegram-login`: like a magic
  link, its redirect GET only shows "Continue as ..." (opening such a URL must not sign
  a browser in as whoever made it); the Continue POST of the same fields signs in, once;
- a Telegram Mini App, whose page POSTs `initData` to `/auth/webapp`.

Each success starts a new server-side session (a fresh id: no fixation) and ends this
browser's previous one. Signing out (or someone else signing in here) also forgets the
push subscriptions this browser's session registered: a shared device must not keep
showing the last person's notices. Sign-in pages carry one-time secrets:
`Cache-Control: no-store`.
"""

from __future__ import annotations

import logging

from aiohttp import web

from core.auth import errors as auth_errors
from core.auth.errors import AuthError
from core.auth.service import WIDGET_PURPOSE
from core.auth.sessions import NewSession, id_hash
from core.auth.telegram import login_proof, parse_query
from core.errors import UserFacingError
from core.push import subscriptions
from core.texts import privacy as privacy_texts
from core.texts import site as texts
from core.texts.common import render_error
from web.account.telegram_widget import CALLBACK, widget, widget_headers
from web.bodies import MalformedBody, read_capped, read_form
from web.csrf import same_origin
from web.current import (
    VISIT_KEY,
    Visit,
    cookie_name,
    end_session,
    require_user_id,
    safe_next,
    start_session,
    visit,
)
from web.keys import AUTH_KEY, CORE_KEY
from web.render import form_refused, message, render

log = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store"}
WEBAPP_MAX_BYTES = 32 * 1024


async def _refused(request: web.Request, reason: str, status: int = 400) -> web.Response:
    heading, text = texts.SIGNIN_FAILED.get(reason, texts.SIGNIN_FALLBACK)
    log.info("web sign-in refused: %s", reason)
    return await message(request, heading, text, status=status, headers=NO_STORE)


async def signin_page(request: web.Request) -> web.Response:
    """The magic link's landing page, or how to get one."""
    token = request.match_info.get("token") or request.query.get("t", "")
    next_page = safe_next(request.query.get("next"))
    if not token:
        if (await visit(request)).user_id is not None:
            raise web.HTTPSeeOther(next_page)
        heading, text = texts.NEED_SIGNIN
        found = widget(request)
        headers = {**NO_STORE, **widget_headers()} if found else NO_STORE
        return await render(request, "signin.html", page_title=heading, heading=heading,
                            text=text, widget=found, headers=headers)
    core = request.app[CORE_KEY]
    try:
        async with core.db.read() as session:
            user = await request.app[AUTH_KEY].magic_links.peek(session, token)
            who = await core.users.identity_label(session, user.id) or texts.SIGNIN_WHO_FALLBACK
    except AuthError as exc:
        return await _refused(request, exc.reason, status=410 if exc.reason in (
            "expired", "used") else 400)
    return await render(request, "signin.html", page_title="Sign in", heading="Sign in",
                        who=who, token=token, next=next_page, headers=NO_STORE)


async def signin_redeem(request: web.Request) -> web.Response:
    """Continue: use the link up and sign this browser in."""
    if not same_origin(request):
        return await _refused(request, "invalid", status=403)
    try:
        form = await read_form(request)
    except MalformedBody:
        return await _refused(request, "invalid")
    core = request.app[CORE_KEY]
    try:
        async with core.db.session() as session:
            _, new = await request.app[AUTH_KEY].sign_in_magic_link(session, str(form.get("t", "")))
    except AuthError as exc:
        return await _refused(request, exc.reason, status=410 if exc.reason in (
            "expired", "used") else 400)
    return await _signed_in(request, new, safe_next(str(form.get("next", ""))))


async def telegram_login_page(request: web.Request) -> web.Response:
    """The Login Widget's redirect: check its data and ask "Continue as ...?". Opening
    the URL signs no one in and spends nothing: widget data stays good for a day until
    first used, so a URL made with someone else's Telegram account and opened in this
    browser (a link, an image, a redirect) must not end this browser's session and sign
    it in as them. The Continue POST, from our own page, signs in (`telegram_login`)."""
    auth = request.app[AUTH_KEY]
    try:
        who = auth.verify_telegram_login(request.query_string)
        fields = parse_query(request.query_string)
        async with request.app[CORE_KEY].db.read() as session:
            spent = await auth.nonces.status(session, WIDGET_PURPOSE, login_proof(fields))
        if spent == auth_errors.USED:  # opened again from the history: nothing to continue
            raise AuthError(auth_errors.USED)
    except AuthError as exc:
        return await _refused(request, exc.reason, status=401)
    name = f"@{who.username}" if who.username else (who.first_name
                                                    or texts.SIGNIN_WHO_FALLBACK)
    heading = texts.SIGNIN_TELEGRAM_HEADING
    return await render(request, "signin_telegram.html", page_title=heading, heading=heading,
                        text=texts.SIGNIN_TELEGRAM_CONFIRM.format(who=name),
                        button=texts.SIGNIN_CONTINUE_AS.format(who=name), fields=fields,
                        action=CALLBACK, headers=NO_STORE)


async def telegram_login(request: web.Request) -> web.Response:
    """Continue: the Login Widget's fields, posted from our own page, sign in (once)."""
    auth = request.app[AUTH_KEY]
    try:
        if not same_origin(request):
            raise AuthError(auth_errors.INVALID)
        data = [(k, str(v)) for k, v in (await read_form(request)).items()]
        async with request.app[CORE_KEY].db.session() as session:
            _, new = await auth.sign_in_login_widget(session, data)
    except MalformedBody:
        return await _refused(request, "malformed")
    except AuthError as exc:
        return await _refused(request, exc.reason, status=401)
    except UserFacingError as exc:  # an account pending deletion: when, and /restore
        return await message(request, privacy_texts.PENDING_HEADING, render_error(exc),
                             status=403, headers=NO_STORE)
    return await _signed_in(request, new, "/settings")


async def mini_app(request: web.Request) -> web.Response:
    """The Mini App page posts Telegram's `initData` (raw, as Telegram gives it)."""
    auth = request.app[AUTH_KEY]
    try:
        raw = await read_capped(request, WEBAPP_MAX_BYTES, as_json=True)
        async with request.app[CORE_KEY].db.session() as session:
            _, new = await auth.sign_in_mini_app(session, raw)
    except AuthError as exc:
        log.info("mini app sign-in refused: %s", exc.reason)
        return web.json_response({"error": exc.reason}, status=401, headers=NO_STORE)
    except UserFacingError as exc:  # an account pending deletion
        return web.json_response({"error": exc.code, "message": render_error(exc)},
                                 status=403, headers=NO_STORE)
    await _end_previous(request, new)
    response = web.json_response({"ok": True, "next": "/settings"}, headers=NO_STORE)
    start_session(request, response, new, embedded=True)
    return response


async def signout(request: web.Request) -> web.Response:
    return await _signout(request, everywhere=False)


async def signout_everywhere(request: web.Request) -> web.Response:
    return await _signout(request, everywhere=True)


async def _signout(request: web.Request, *, everywhere: bool) -> web.Response:
    user_id = await require_user_id(request)
    current = await visit(request)
    if (refused := await form_refused(request, await read_form(request))) is not None:
        return refused
    sessions = request.app[AUTH_KEY].sessions
    async with request.app[CORE_KEY].db.session() as session:
        if everywhere:
            await sessions.revoke_all(session, user_id)
            await subscriptions.end_all(session, user_id)
        else:
            await sessions.revoke(session, current.token)
            if current.session is not None:  # this device stops getting their notices
                await subscriptions.end_session(session, current.session.id_hash)
    text = texts.SIGNED_OUT_EVERYWHERE if everywhere else texts.SIGNED_OUT
    request[VISIT_KEY] = Visit(None, None)  # the page that says so is a signed-out one
    heading = texts.SIGNED_OUT_HEADING
    response = await render(request, "signed_out.html", page_title=heading, heading=heading,
                            text=text, headers=NO_STORE)
    end_session(request, response)
    return response


async def _end_previous(request: web.Request, new: NewSession) -> None:
    """Signing in again in this browser replaces its old session rather than adding one.
    The devices the old session (live or not) turned notifications on for stay on only
    when the same person signs in again; anyone else's are forgotten here."""
    previous = await visit(request)
    old = request.cookies.get(cookie_name(request))
    if not previous.token and not old:
        return
    async with request.app[CORE_KEY].db.session() as session:
        if previous.token:
            await request.app[AUTH_KEY].sessions.revoke(session, previous.token)
        if old:
            await subscriptions.hand_over(session, id_hash(old), id_hash(new.token),
                                          new.user_id)


async def _signed_in(request: web.Request, new: NewSession, target: str) -> web.Response:
    await _end_previous(request, new)
    response = web.HTTPSeeOther(target, headers=NO_STORE)
    start_session(request, response, new)
    raise response


def setup(app: web.Application) -> None:
    app.router.add_get("/signin", signin_page)
    app.router.add_get("/signin/{token}", signin_page)
    app.router.add_post("/signin", signin_redeem)
    app.router.add_get(CALLBACK, telegram_login_page)
    app.router.add_post(CALLBACK, telegram_login)
    app.router.add_post("/auth/webapp", mini_app)
    app.router.add_post("/signout", signout)
    app.router.add_post("/signout/everywhere", signout_everywhere)
