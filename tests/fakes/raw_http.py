"""A deliberately dumb HTTP/1.x client over a raw socket, for requests no library sends.

Real clients refuse to write a garbled request line, an invalid header or broken chunked
framing; a hostile client doesn't. `exchange` writes the bytes as given and reads the
answer until the server closes the connection (requests should say `Connection: close`;
the server closes after any error page by itself).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from multidict import CIMultiDict

from web.server import make_runner

# A ceiling, not a deadline: a healthy server answers in milliseconds.
READ_CEILING = 60.0


@dataclass
class RawResponse:
    status: int
    reason: str
    headers: CIMultiDict[str] = field(default_factory=CIMultiDict)
    body: bytes = b""
    raw: bytes = b""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def parse(raw: bytes) -> RawResponse:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    _version, status, *reason = lines[0].split(" ", 2)
    headers: CIMultiDict[str] = CIMultiDict()
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.add(name.strip(), value.strip())
    if headers.get("Transfer-Encoding", "").lower() == "chunked":
        body = _dechunk(body)
    return RawResponse(int(status), " ".join(reason), headers, body, raw)


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return bytes(out)


async def exchange(port: int, request: bytes, host: str = "127.0.0.1") -> RawResponse:
    """Send `request` verbatim and return the parsed answer."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        with contextlib.suppress(ConnectionError):  # refused before reading it all
            await writer.drain()
        raw = await asyncio.wait_for(_read_all(reader), READ_CEILING)
    finally:
        writer.close()
    return parse(raw)


async def _read_all(reader: asyncio.StreamReader) -> bytes:
    chunks = bytearray()
    try:
        while chunk := await reader.read(65536):
            chunks += chunk
    except ConnectionError:  # reset after the answer was sent: keep what arrived
        pass
    return bytes(chunks)


def request(
    method: str,
    target: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    chunked: bool = False,
) -> bytes:
    """A well-formed request (Connection: close), for the cases where only part is bad."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
        payload = b"".join(
            f"{len(body[i:i + 8192]):x}\r\n".encode() + body[i:i + 8192] + b"\r\n"
            for i in range(0, len(body), 8192)
        ) + b"0\r\n\r\n"
    else:
        if body or method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(body)}")
        payload = body
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


@asynccontextmanager
async def serving(app: web.Application, *, access_log: bool = True) -> AsyncIterator[int]:
    """Serve `app` exactly as the service does (`web.server.make_runner`); yields the port."""
    runner = make_runner(app, access_log=access_log, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield int(runner.addresses[0][1])
    finally:
        await runner.cleanup()
