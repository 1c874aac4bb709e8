"""How the web companion is served: aiohttp's runner with its low-level error pages tamed.

When a request can't even be parsed (a garbled request line, an invalid or oversized
header), aiohttp answers from its protocol layer, before any middleware or response hook
runs. Its stock answer echoes the offending bytes back in the body, logs an ERROR with a
traceback whose message repeats them (headers can hold cookies and tokens), and carries
the version banner. `HardenedAppRunner` swaps in a protocol handler that answers with a
fixed sentence, our security headers and no banner, and logs one WARNING line that names
the kind of error but never the bytes.

Everything else is stock aiohttp; `make_runner` is what the service uses.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import http_exceptions, web
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest

from web.keys import CORE_KEY
from web.logging import RedactingAccessLogger
from web.middleware import stamp

log = logging.getLogger(__name__)
# Our own name, so an operator can route or silence it apart from other aiohttp servers.
access_logger = logging.getLogger("web.access")

# Sentences only: nothing of the request goes back to the client.
_ANSWERS: tuple[tuple[type[BaseException], str], ...] = (
    (http_exceptions.LineTooLong, "Request line or header too large."),
    (http_exceptions.BadHttpMethod, "Not an HTTP request."),
    (http_exceptions.InvalidURLError, "Malformed request URL."),
    (http_exceptions.InvalidHeader, "Malformed request header."),
    (http_exceptions.PayloadEncodingError, "Malformed request body."),
)
_DEFAULT_ANSWER = "Malformed request."


def _answer(exc: BaseException | None) -> str:
    for kind, text in _ANSWERS:
        if isinstance(exc, kind):
            return text
    return _DEFAULT_ANSWER


class _BannerlessResponse(web.Response):
    """aiohttp adds `Server` while preparing headers, after everything we control."""

    async def _prepare_headers(self) -> None:
        await super()._prepare_headers()
        self.headers.popall("Server", None)


class _HardenedRequestHandler(RequestHandler):
    def __init__(self, manager: web.Server, *, public_url: str | None, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self._public_url = public_url

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """Answer a request aiohttp couldn't hand to the app, without echoing it."""
        if status >= 500:  # a bug or a timeout of ours: keep aiohttp's full report
            response = super().handle_error(request, status, exc, message)
            stamp(response.headers, "/", self._public_url)
            return response
        # exc's text quotes the raw bytes; the class name is all the log needs.
        log.warning("refused a malformed request from %s: %s (%s)",
                    request.remote, _answer(exc), type(exc).__name__ if exc else "-")
        if request.writer.output_size > 0:
            raise ConnectionError("response already started; cannot send an error page")
        response = _BannerlessResponse(status=status, text=_answer(exc))
        stamp(response.headers, "/", self._public_url)
        response.force_close()
        return response


class _HardenedServer(web.Server):
    def __init__(self, *args: Any, public_url: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._public_url = public_url

    def __call__(self) -> RequestHandler:
        return _HardenedRequestHandler(
            self, public_url=self._public_url, loop=self._loop, **self._kwargs
        )


class HardenedAppRunner(web.AppRunner):
    """`web.AppRunner` whose protocol-level error pages leak nothing (see module doc)."""

    async def _make_server(self) -> web.Server:
        stock = await super()._make_server()
        return _HardenedServer(
            stock.request_handler,
            request_factory=stock.request_factory,
            handler_cancellation=stock.handler_cancellation,
            loop=stock._loop,
            public_url=self.app[CORE_KEY].settings.web.public_url,
            **stock._kwargs,
        )


# After refusing a request whose body is still arriving (a 413 on a declared terabyte,
# say), aiohttp keeps reading and discarding it so the client sees the answer instead of
# a reset. Its default of 10 s lets a client that never sends the body hold a connection
# that long; 2 s is ample for an honest client on a slow phone network to read the 4xx.
LINGERING_SECONDS = 2.0


def make_runner(
    app: web.Application, *, access_log: bool = False, shutdown_timeout: float = 60.0
) -> HardenedAppRunner:
    """The runner the service uses; the access log (off by default) redacts credentials."""
    return HardenedAppRunner(
        app,
        shutdown_timeout=shutdown_timeout,
        access_log_class=RedactingAccessLogger,
        access_log=access_logger if access_log else None,
        lingering_time=LINGERING_SECONDS,
    )
