"""python-telegram-bot's HTTP calls over aiohttp instead of httpx.

Every Bot API call (sendMessage, editMessageText, answerCallbackQuery, getUpdates, ...)
goes through a `telegram.request.BaseRequest`. PTB's default, `HTTPXRequest`, spent
about 14 % of a `serve` process's CPU under bench/bot in httpx + httpcore + anyio + h11
(issue 17); aiohttp's client is already a dependency and costs much less per request
(bench/telegram_http has the figures). `AiohttpRequest` is a drop-in replacement: the
same wire format (form-encoded parameters, multipart when files are uploaded), the same
timeout defaults and `DEFAULT_NONE` semantics, the same errors (`TimedOut`,
`NetworkError`); PTB itself turns HTTP statuses into its errors (`RetryAfter`, ...).

Timeouts, mapped onto aiohttp's:
- read -> `sock_read`, which aiohttp starts once the request body is written (as
  httpx's read timeout, it bounds each wait for the server, not the whole answer);
- connect -> `sock_connect`; pool + connect -> `connect` (aiohttp counts the wait for
  a free pooled connection and the new connection's setup together);
- write: aiohttp has no per-write timeout; an upload is bounded instead by a total of
  connect + pool + write (media_write_timeout by default) + read. Parameters-only
  bodies are a few hundred bytes and never wait on the socket.
"""

from __future__ import annotations

import functools
from typing import Any, TypedDict

import aiohttp
from aiohttp.payload import BytesPayload
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_Timeout = float | None
_FORM = "application/x-www-form-urlencoded"
_DefaultValue = type(BaseRequest.DEFAULT_NONE)  # PTB's "not passed" marker's class
_NOT_SENT = ("Connection timeout: no connection was free in the pool or the new one took "
             "too long. The request was *not* sent to Telegram.")


class AnswerTimedOut(TimedOut):
    """The request went out and no answer came within the read timeout: Telegram may
    well have acted on it (it usually has, slowly), so sending it again could show a
    creator the same message twice."""


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on one aiohttp `ClientSession` (keep-alive connection pool).

    Defaults are `HTTPXRequest`'s: 256 connections (pass 1 for getUpdates, as PTB's
    builder does), read/write/connect 5 s, pool 1 s, uploads' write 20 s. The session
    is opened by `initialize` or, for a Bot never initialized, by its first call
    (aiohttp wants a running loop); `shutdown` closes it.
    """

    __slots__ = ("_connect", "_media_write", "_pool", "_pool_size", "_read", "_session",
                 "_write")

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read, self._write = read_timeout, write_timeout
        self._connect, self._pool = connect_timeout, pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds getUpdates' long-poll seconds to it)."""
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = self._open()

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _open(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0),
            headers={"User-Agent": self.USER_AGENT},
            timeout=_timeouts(self._connect, self._pool, self._read, None),
        )

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: _Timeout | Any = BaseRequest.DEFAULT_NONE,
        write_timeout: _Timeout | Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: _Timeout | Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: _Timeout | Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None:  # a Bot used without initialize(), as HTTPXRequest allows
            self._session = self._open()
        elif self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        uploads = request_data is not None and request_data.contains_files
        body = _body(request_data) if request_data is not None else None
        write = _given(write_timeout, self._media_write if uploads else self._write)
        timeout = _timeouts(_given(connect_timeout, self._connect),
                            _given(pool_timeout, self._pool), _given(read_timeout, self._read),
                            write if uploads else None)
        try:
            async with self._session.request(method, url, data=body, timeout=timeout) as resp:
                return resp.status, await resp.read()
        except aiohttp.ConnectionTimeoutError as exc:
            raise TimedOut(_NOT_SENT) from exc
        except aiohttp.SocketTimeoutError as exc:  # the read timeout: the body went out
            raise AnswerTimedOut from exc
        except TimeoutError as exc:  # an upload's overall limit: maybe still writing
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc


def _given(value: _Timeout | Any, default: _Timeout) -> _Timeout:
    """A timeout as passed to a Bot method, or this object's own when it was not."""
    return default if isinstance(value, _DefaultValue) else value


def _body(data: RequestData) -> aiohttp.FormData | BytesPayload:
    """What HTTPXRequest sends: the JSON-encoded parameters as form fields, followed by
    the files as multipart parts (raw UTF-8 file names, as httpx writes them). Without
    files, the urlencoded bytes directly (aiohttp would build a FormData for a dict)."""
    if not data.contains_files:
        return BytesPayload(data.url_encoded_parameters().encode(), content_type=_FORM)
    form = aiohttp.FormData(quote_fields=False, default_to_multipart=True)
    for name, value in data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


@functools.lru_cache(maxsize=64)
def _timeouts(connect: _Timeout, pool: _Timeout, read: _Timeout,
              write: _Timeout) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for PTB's four (see the module docstring); `write` is given
    for uploads only. Cached: a handful of combinations serve every call."""
    acquire = None if connect is None or pool is None else connect + pool
    total = None
    if write is not None and acquire is not None and read is not None:
        total = acquire + write + read
    return aiohttp.ClientTimeout(total=total, connect=acquire, sock_connect=connect,
                                 sock_read=read)


class BotRequests(TypedDict):
    request: AiohttpRequest
    get_updates_request: AiohttpRequest


def bot_requests() -> BotRequests:
    """`telegram.Bot(token, **bot_requests())`: both of a Bot's request objects on
    aiohttp (getUpdates gets its own one-connection pool, as PTB's builder gives it)."""
    return BotRequests(request=AiohttpRequest(),
                       get_updates_request=AiohttpRequest(connection_pool_size=1))
