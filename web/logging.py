"""An access log that never writes down a credential carried in a URL.

OAuth callbacks carry `code` and `state`, and the bot's connect links carry a signed `t`:
each one is enough to hijack a sign-in while it is fresh, and log files travel further
than the server (support tickets, log shippers). So query strings are redacted *before*
the line is formatted: on private routes (OAuth, sign-in) every value is replaced, and on
every other route the values of parameters whose names look like credentials are. The
same goes for the `Referer` header, which repeats the previous page's URL. Links that
carry their token in the path (a magic sign-in link, a payment or Customer Portal link,
good for an hour) have that segment replaced too (`redact_path`), in the access log and
in the error log alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from aiohttp.web_log import AccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

from core.reddit.paths import CALLBACK_PATH, CONNECT_PATH

REDACTED = "***"

# Routes where any query value may be a credential (sign-in, OAuth).
PRIVATE_PATH_PREFIXES: tuple[str, ...] = (
    CONNECT_PATH, CALLBACK_PATH, "/auth/", "/login", "/signin", "/oauth",
)

# Parameter names that carry credentials wherever they appear.
SECRET_PARAMS = frozenset({
    "t", "code", "state", "token", "access_token", "refresh_token", "id_token",
    "secret", "client_secret", "password", "key", "api_key", "apikey", "sig",
    "signature", "session", "auth", "hash", "init_data", "tgwebappdata",
})


# Routes whose last path segment is a signed token (web/account/signin.py,
# web/billing/checkout.py).
TOKEN_PATH_PREFIXES: tuple[str, ...] = ("/signin/", "/billing/checkout/", "/billing/portal/")


def redact_path(path: str) -> str:
    """`path` with the token segment of a tokenised link replaced by `***`."""
    for prefix in TOKEN_PATH_PREFIXES:
        if path.startswith(prefix) and len(path) > len(prefix):
            return prefix + REDACTED
    return path


def is_private_path(path: str) -> bool:
    return path.startswith(PRIVATE_PATH_PREFIXES)


def redact_query(path: str, query: str) -> str:
    """The query string with credential values replaced by `***` (names are kept)."""
    if not query:
        return query
    everything = is_private_path(path)
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs:  # not key=value shaped: nothing to keep
        return REDACTED
    return urlencode(
        [(k, REDACTED if everything or k.lower() in SECRET_PARAMS else v) for k, v in pairs],
        safe="*",
    )


def redact_url(url: str) -> str:
    """`path?query` or a full URL, with its query redacted, a path token replaced and
    any fragment dropped."""
    if "?" not in url and "#" not in url:
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path=redact_path(parts.path)))
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=redact_path(parts.path),
                                      query=redact_query(parts.path, parts.query),
                                      fragment=REDACTED if parts.fragment else ""))


class RedactingAccessLogger(AccessLogger):
    """aiohttp's access log (same format options), minus credentials in URLs."""

    def _format_line(
        self, request: BaseRequest, response: StreamResponse, time: float
    ) -> Iterable[tuple[str | tuple[str, str], str]]:
        lines = list(super()._format_line(request, response, time))
        if request is None:  # aiohttp logs some failures without a request
            return lines
        return [(key, self._redact(key, request, value)) for key, value in lines]

    @staticmethod
    def _redact(key: str | tuple[str, str], request: BaseRequest, value: str) -> str:
        if key == "first_request_line":
            query, path = request.query_string, redact_path(request.path)
            if not query and path == request.path:
                return value
            safe = f"{path}?{redact_query(request.path, query)}" if query else path
            return f"{request.method} {safe} HTTP/{request.version.major}.{request.version.minor}"
        if isinstance(key, tuple) and key[0] == "request_header":
            return redact_url(str(value))
        return value
