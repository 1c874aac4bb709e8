"""Who is signed in: the session cookie, looked up once per request.

The cookie holds only the opaque session id from `core.auth.sessions` (32 random
bytes); the database row decides whether it still counts, so "sign out everywhere" and
a deleted account take effect on the very next request. The cookie is HttpOnly
(scripts can't read it), SameSite=Lax (other sites can't send it with a form POST) and,
when the site is served over https, Secure with the `__Host-` prefix (no subdomain or
plain-http page can set or overwrite it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.sessions import NewSession, SessionInfo
from core.texts import site as texts
from web.keys import AUTH_KEY, CORE_KEY

COOKIE = "tp_session"
SECURE_COOKIE = "__Host-tp_session"
SIGNIN_PAGE = "/signin"


@dataclass(frozen=True)
class Visit:
    """This request's sign-in state: the cookie value and the live session behind it."""

    token: str | None
    session: SessionInfo | None

    @property
    def user_id(self) -> int | None:
        return self.session.user_id if self.session else None


VISIT_KEY = web.RequestKey("visit", Visit)


def is_https(request: web.Request) -> bool:
    """Served over https: the configured public URL says so (a proxy terminates TLS)."""
    public_url = request.config_dict[CORE_KEY].settings.web.public_url or ""
    return public_url.lower().startswith("https://") or request.secure


def cookie_name(request: web.Request) -> str:
    return SECURE_COOKIE if is_https(request) else COOKIE


async def visit(request: web.Request) -> Visit:
    """The cookie's session, looked up at most once per request (reads only, unless
    the session's expiry is due to roll forward)."""
    if VISIT_KEY in request:
        return request[VISIT_KEY]
    token = request.cookies.get(cookie_name(request))
    auth = request.config_dict[AUTH_KEY]
    info = await auth.sessions.authenticate(request.config_dict[CORE_KEY].db, token)
    found = Visit(token if info else None, info)
    request[VISIT_KEY] = found
    return found


@asynccontextmanager
async def reading(request: web.Request, *, writes: bool = False
                  ) -> AsyncIterator[tuple[Visit, AsyncSession]]:
    """One read unit for a handler that also needs to know who is signed in: the
    session row is read in that same transaction (unless this request already looked
    it up, e.g. the rate limiter), so the row still decides on every request at the cost
    of one statement, not a transaction of its own (every aiosqlite call is a thread
    hand-off; a unit is about a dozen). A due expiry roll is written after the unit
    closes, also when the handler answers by raising (a redirect, a 404). `writes`: a
    unit of work that commits instead (a GET whose core call may write lazily)."""
    known = request.get(VISIT_KEY)
    db = request.config_dict[CORE_KEY].db
    sessions = request.config_dict[AUTH_KEY].sessions
    try:
        async with db.session() if writes else db.read() as session:
            if known is None:
                token = request.cookies.get(cookie_name(request))
                info = await sessions.get(session, token)
                request[VISIT_KEY] = Visit(token if info else None, info)
            yield request[VISIT_KEY], session
    except web.HTTPException:
        await _roll(request, known)
        raise
    await _roll(request, known)


async def _roll(request: web.Request, known: Visit | None) -> None:
    found = request.get(VISIT_KEY)
    if known is None and found is not None and found.session is not None:
        sessions = request.config_dict[AUTH_KEY].sessions
        db = request.config_dict[CORE_KEY].db
        request[VISIT_KEY] = Visit(found.token, await sessions.roll(db, found.session))


@asynccontextmanager
async def signed_in_reading(request: web.Request) -> AsyncIterator[tuple[int, AsyncSession]]:
    """`reading` for a page behind sign-in: the user's id and the read unit, with the
    session check and the page's own reads in one transaction; nobody signed in gets
    the same answer as `require_user_id` before any page read."""
    async with reading(request) as (current, session):
        yield signed_in(request, current.user_id), session


async def current_user_id(request: web.Request) -> int | None:
    """The signed-in user's id, or None."""
    return (await visit(request)).user_id


async def require_user_id(request: web.Request) -> int:
    """The signed-in user's id; otherwise a page view goes to the sign-in page (and
    comes back afterwards) and anything else is refused with 401."""
    return signed_in(request, await current_user_id(request))


def signed_in(request: web.Request, user_id: int | None) -> int:
    """`user_id` when someone is signed in, else the sign-in redirect (page views) or
    401 (anything else), raised."""
    if user_id is not None:
        return user_id
    if request.method in ("GET", "HEAD"):
        raise web.HTTPSeeOther(f"{SIGNIN_PAGE}?next={quote(request.path_qs, safe='/')}")
    raise web.HTTPUnauthorized(text=texts.SIGN_IN_FIRST, content_type="text/plain")


def start_session(request: web.Request, response: web.StreamResponse,
                  new: NewSession, *, embedded: bool = False) -> None:
    """Give this browser the new session's cookie (lives as long as the session may).

    `embedded`: the Mini App, which Telegram's web clients show in a frame of their own
    site, where a SameSite=Lax cookie is never sent. Over https such a session's cookie
    is SameSite=None but Partitioned (CHIPS: kept only under Telegram's frame, useless
    to any other site); forms stay protected by the CSRF token and the Origin check.
    """
    auth = request.config_dict[AUTH_KEY]
    max_age = int(auth.sessions.max_age.total_seconds())
    secure = is_https(request)
    if embedded and secure:
        # Python 3.11's cookie module has no Partitioned attribute: written by hand
        # (the token is base64url, nothing to quote).
        response.headers.add("Set-Cookie", f"{cookie_name(request)}={new.token}; "
                             f"Max-Age={max_age}; Path=/; Secure; HttpOnly; "
                             "SameSite=None; Partitioned")
        return
    response.set_cookie(cookie_name(request), new.token, max_age=max_age, path="/",
                        httponly=True, samesite="Lax", secure=secure)


def end_session(request: web.Request, response: web.StreamResponse) -> None:
    """Forget the cookie in this browser (the row is revoked by the caller)."""
    response.del_cookie(cookie_name(request), path="/", secure=is_https(request),
                        httponly=True, samesite="Lax")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a local path only (never `//evil.example`). No
    backslash and no control character anywhere: browsers read `/\\host` as `//host`,
    and the URL parser drops a tab or line break, so `/<tab>/host` would leave as
    `//host`."""
    if (target and target.startswith("/") and not target.startswith("//")
            and "\\" not in target and all(ch.isprintable() for ch in target)):
        return target
    return "/settings"
