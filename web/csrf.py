"""CSRF protection for every form: a token bound to the session, checked on POST.

Why this shape (OWASP's "signed double-submit cookie"): the session cookie goes with
every request, even one a hostile page makes the browser send, so the cookie alone
proves nothing. Each form therefore also carries `csrf_token`, the session id's MAC
under a key only the server has (`core.signing`, purpose "web-csrf"). A hostile page can
neither read the cookie nor compute the MAC, so it cannot fill in the field. No storage
is needed, and signing out (a new session id) invalidates every old form. A cross-site
`Origin` header is refused as well, as a second line for browsers that send one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

from core.signing import b64encode
from web.keys import CORE_KEY, SIGNER_KEY

FIELD = "csrf_token"
PURPOSE = "web-csrf"


def token_for(request: web.Request, session_token: str) -> str:
    """The value every form of this session carries."""
    return b64encode(request.config_dict[SIGNER_KEY].mac(PURPOSE, session_token))


def valid(request: web.Request, session_token: str | None, given: object) -> bool:
    """Whether `given` is this session's token (constant-time) and the request came
    from our own pages."""
    if not session_token or not isinstance(given, str) or not same_origin(request):
        return False
    return request.config_dict[SIGNER_KEY].check(PURPOSE, session_token, given)


def same_origin(request: web.Request) -> bool:
    """False only when the browser says the request came from another site."""
    origin = request.headers.get("Origin")
    if origin is None:  # older browsers; SameSite=Lax and the token still hold
        return True
    ours = {f"{request.scheme}://{request.host}".lower()}
    public_url = request.config_dict[CORE_KEY].settings.web.public_url
    if public_url:
        parts = urlsplit(public_url)
        ours.add(f"{parts.scheme}://{parts.netloc}".lower())
    return origin.lower() in ours
