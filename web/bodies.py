"""Read request bodies defensively: a malformed body is the sender's mistake, a 4xx.

aiohttp's `request.post()`/`json()` raise whatever the parsing library raises (ValueError
for a broken multipart, LookupError for an unknown charset, RecursionError for JSON
nested 100,000 deep), which a handler would turn into a 500 and an ERROR traceback. These
helpers turn every such failure into `MalformedBody` (400) with one WARNING line naming
the reason, never the content, and cap the body by counting the bytes that actually
arrive, so a chunked upload (no Content-Length) is capped exactly like a sized one.
"""

from __future__ import annotations

import codecs
import json
import logging
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from multidict import MultiDict, MultiDictProxy

log = logging.getLogger(__name__)

FORM_MAX_BYTES = 64 * 1024
JSON_MAX_DEPTH = 32
URLENCODED = "application/x-www-form-urlencoded"

Form = MultiDictProxy[str | bytes | bytearray | web.FileField]  # what request.post() gives


class MalformedBody(web.HTTPBadRequest):
    """The body can't be read as what the route expects (a 400, not our bug)."""

    def __init__(self, reason: str, *, as_json: bool = False) -> None:
        if as_json:
            super().__init__(text=json.dumps({"error": "malformed_body", "reason": reason}),
                             content_type="application/json")
        else:
            super().__init__(text=f"Malformed request body: {reason}.")
        self.why = reason


def _too_large(max_bytes: int, seen: int, *, as_json: bool) -> web.HTTPRequestEntityTooLarge:
    log.warning("refused a request body over %d bytes", max_bytes)
    if as_json:
        return web.HTTPRequestEntityTooLarge(
            max_bytes, seen, text=json.dumps({"error": "too_large"}),
            content_type="application/json")
    return web.HTTPRequestEntityTooLarge(max_bytes, seen)


def _refuse(request: web.Request, reason: str, *, as_json: bool = False) -> MalformedBody:
    log.warning("refused a malformed body on %s %s: %s", request.method, request.path, reason)
    return MalformedBody(reason, as_json=as_json)


async def read_capped(request: web.Request, max_bytes: int, *, as_json: bool = False) -> bytes:
    """The whole body, or 413 as soon as more than `max_bytes` have arrived (sized or not)."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise _too_large(max_bytes, request.content_length, as_json=as_json)
    body = bytearray()
    try:
        async for chunk in request.content.iter_any():
            body += chunk
            if len(body) > max_bytes:
                raise _too_large(max_bytes, len(body), as_json=as_json)
    except (RequestPayloadError, HttpProcessingError) as exc:  # broken chunked framing etc.
        raise _refuse(request, f"unreadable body ({type(exc).__name__})", as_json=as_json) from None
    return bytes(body)


def _codec(request: web.Request, *, as_json: bool = False) -> str:
    charset = request.charset or "utf-8"
    try:
        return codecs.lookup(charset).name
    except LookupError:
        raise _refuse(request, "unknown charset", as_json=as_json) from None


async def read_form(
    request: web.Request, *, max_bytes: int = FORM_MAX_BYTES
) -> Form:
    """A submitted HTML form (urlencoded or multipart) or `MalformedBody`."""
    if request.content_type == "multipart/form-data":
        try:  # aiohttp caps this at the app's client_max_size, chunked or not
            return await request.post()
        except web.HTTPException:
            raise
        except (ValueError, LookupError, RequestPayloadError, HttpProcessingError) as exc:
            raise _refuse(request, f"broken multipart ({type(exc).__name__})") from None
    if request.content_type not in (URLENCODED, "application/octet-stream"):
        raise _refuse(request, f"expected a form, got {request.content_type[:60]}")
    codec = _codec(request)
    raw = await read_capped(request, max_bytes)
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        raise _refuse(request, f"not valid {codec}") from None
    fields: MultiDict[str | bytes | bytearray | web.FileField] = MultiDict(
        parse_qsl(text, keep_blank_values=True))
    return MultiDictProxy(fields)


def _too_deep(value: object, limit: int) -> bool:
    """True when containers nest deeper than `limit` (iterative: no recursion to blow)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


async def read_json_object(
    request: web.Request, *, max_bytes: int, max_depth: int = JSON_MAX_DEPTH
) -> dict[str, Any]:
    """A JSON object body (not an array, string or number), or a JSON 400/413.

    Webhooks call this before handing data to a library that assumes a well-formed
    payload: what comes out is a dict, nested at most `max_depth` deep, with no NaN.
    """
    codec = _codec(request, as_json=True)
    raw = await read_capped(request, max_bytes, as_json=True)
    try:
        data = json.loads(raw.decode(codec), parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise _refuse(request, f"not valid {codec}", as_json=True) from None
    except RecursionError:
        raise _refuse(request, "JSON nested too deep", as_json=True) from None
    except ValueError:  # JSONDecodeError, NaN/Infinity, integers over the digit limit
        raise _refuse(request, "not valid JSON", as_json=True) from None
    if not isinstance(data, dict):
        raise _refuse(request, f"expected a JSON object, got {type(data).__name__}",
                      as_json=True)
    if _too_deep(data, max_depth):
        raise _refuse(request, "JSON nested too deep", as_json=True)
    return data
