"""Reddit connect + OAuth callback pages of the web companion.

`GET /reddit/connect?t=...` takes the signed link the bot sent and first shows whose chat
account the Reddit account will be linked to: a link forwarded by someone else must not
quietly attach the reader's Reddit account to a stranger. `POST` (the Continue button,
accepted only from our own page) binds this browser to that user with a short-lived
signed cookie and goes to Reddit.
`GET /reddit/callback` accepts Reddit's answer only with a valid, unused, unexpired
`state` issued to the same browser's user; the refresh token is stored encrypted.
The words shown here are core.texts.site_reddit's.
"""

from __future__ import annotations

import logging

from aiohttp import web

from core.errors import UserFacingError
from core.reddit.paths import CALLBACK_PATH, CONNECT_PATH, STATE_TTL
from core.texts import site_reddit as texts
from web.bodies import MalformedBody, read_form
from web.csrf import same_origin
from web.keys import CORE_KEY, TEMPLATES_KEY

log = logging.getLogger(__name__)

COOKIE = "tp_reddit_oauth"


def _limit_params(exc: UserFacingError, account: str) -> dict[str, str]:
    """The upgrade prompt's facts (core.billing.errors.LimitReached) in the web's words."""
    upgrade, more = exc.params.get("upgrade"), exc.params.get("upgrade_limit")
    return {
        "tier": str(exc.params.get("tier", "free")).title(),
        "limit": str(exc.params.get("limit", "")), "account": account,
        "upgrade": texts.LIMIT_TOP if not upgrade else texts.LIMIT_UPGRADE.format(
            tier=str(upgrade).title(),
            more=texts.LIMIT_MORE.format(count=texts.UNLIMITED if more is None else more)),
    }


async def _page(request: web.Request, key: str, status: int = 200, *,
                form_token: str | None = None, **params: str) -> web.Response:
    heading, message = texts.PAGES.get(key, texts.PAGES[texts.FALLBACK])
    template = request.app[TEMPLATES_KEY].get_template("reddit_oauth.html")
    html = await template.render_async(heading=heading, message=message.format(**params),
                                       form_token=form_token, action=CONNECT_PATH)
    return web.Response(text=html, status=status, content_type="text/html")


async def confirm(request: web.Request) -> web.Response:
    """Show whose chat the Reddit account will be linked to, with a Continue button."""
    core = request.app[CORE_KEY]
    token = request.query.get("t", "")
    user_id = core.reddit.oauth.verify_link(token)
    if user_id is None:
        return await _page(request, "bad_link", status=400)
    async with core.db.session() as session:
        who = await core.users.identity_label(session, user_id)
    if who is None:
        return await _page(request, "bad_link", status=400)
    return await _page(request, "confirm", form_token=token, who=who)


async def connect(request: web.Request) -> web.StreamResponse:
    """Continue: bind this browser to the link's user and go to Reddit.

    Only from our own confirmation page: another site could otherwise post its own
    link's token from a victim's browser, binding the victim to the attacker's chat
    (the victim's Reddit account would then join it on Allow)."""
    if not same_origin(request):
        log.info("reddit connect refused: cross-site POST")
        return await _page(request, "cross_site", status=403)
    core = request.app[CORE_KEY]
    try:
        form = await read_form(request)
    except MalformedBody:
        return await _page(request, "bad_link", status=400)
    token = str(form.get("t", ""))
    user_id = core.reddit.oauth.verify_link(token)
    if user_id is None:
        return await _page(request, "bad_link", status=400)
    try:
        async with core.db.session() as session:
            # One state per link, however often Continue is pressed.
            url = await core.reddit.oauth.begin(session, user_id, link_token=token)
    except UserFacingError as exc:
        status = 400 if exc.code == "reddit_state_invalid" else 503
        return await _page(request, exc.code, status=status)
    response = web.HTTPFound(url)
    response.set_cookie(  # set on the redirect itself, which is raised below
        COOKIE,
        core.reddit.oauth.browser_binding(user_id),
        max_age=int(STATE_TTL.total_seconds()),
        path="/reddit",
        httponly=True,
        samesite="Lax",
        secure=request.secure or (core.settings.web.public_url or "").startswith("https://"),
    )
    raise response


async def callback(request: web.Request) -> web.Response:
    core = request.app[CORE_KEY]
    q = request.query
    if "error" in q or "code" not in q or "state" not in q:
        return await _page(request, "denied" if "error" in q else "reddit_state_invalid", 400)
    browser_user = core.reddit.oauth.verify_binding(request.cookies.get(COOKIE))
    failure: str | None
    params: dict[str, str] = {}
    try:
        # No session here: complete() spends the state in a unit of work of its own,
        # committed before Reddit is called, and saves the account in a second one.
        account = await core.reddit.oauth.complete(
            core.db, state=q["state"], code=q["code"], browser_user_id=browser_user
        )
    except UserFacingError as exc:
        log.info("reddit oauth callback refused: %s", exc.code)
        failure = exc.code
        if failure == "reddit_accounts_limit":
            params = _limit_params(exc, str(exc.params.get("account", "")))
        if failure == "reddit_busy":  # the state is still unused: a reload finishes
            params = {"seconds": str(exc.params.get("seconds", 60))}
    else:
        failure = None
        name = account.username
    if failure == "reddit_busy":
        busy = await _page(request, failure, status=503, **params)
        busy.headers["Retry-After"] = params["seconds"]
        return busy
    if failure is not None:
        return await _page(request, failure, status=400, **params)
    response = await _page(request, "connected", account=name)
    response.del_cookie(COOKIE, path="/reddit")
    return response


def setup(app: web.Application) -> None:
    app.router.add_get(CONNECT_PATH, confirm)
    app.router.add_post(CONNECT_PATH, connect)
    app.router.add_get(CALLBACK_PATH, callback)
