"""Static assets: fingerprinted names, immutable caching, gzip computed once.

Why fingerprint: a phone on a slow link should never re-download CSS or JS it already
has, and never run a stale copy after a deploy. Each file under `web/static/` is served
as `/static/<stem>.<hash><suffix>` with a year-long `immutable` cache; a new deploy
changes the hash and so the URL. Pages get the current URL from the `asset()` template
function. The files are small, so they are read once at start, and text ones are kept
gzipped too (compressing per request would cost more than serving them).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

STATIC_DIR = Path(__file__).with_name("static")
STATIC_PREFIX = "/static/"
IMMUTABLE = "public, max-age=31536000, immutable"
SERVED_SUFFIXES = {".css": "text/css", ".js": "text/javascript", ".png": "image/png",
                   ".svg": "image/svg+xml", ".ico": "image/x-icon", ".txt": "text/plain"}
_COMPRESSIBLE = {".css", ".js", ".svg", ".txt"}


@dataclass(frozen=True)
class Asset:
    name: str  # logical, e.g. "app.css" or "icons/icon-192.png"
    url: str  # fingerprinted, e.g. "/static/app.3f2a9c01de.css"
    body: bytes
    gzipped: bytes | None
    content_type: str

    @property
    def digest(self) -> str:
        return self.url.rsplit(".", 2)[-2]


class Assets:
    """Everything under `root`, keyed by logical name and by fingerprinted URL."""

    def __init__(self, root: Path = STATIC_DIR) -> None:
        self._by_name: dict[str, Asset] = {}
        self._by_url: dict[str, Asset] = {}
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in SERVED_SUFFIXES:
                asset = _load(root, path)
                self._by_name[asset.name] = asset
                self._by_url[asset.url] = asset

    def url(self, name: str) -> str:
        """The fingerprinted URL of `name`; a typo fails loudly when the page renders."""
        return self._by_name[name].url

    def by_url(self, url: str) -> Asset | None:
        return self._by_url.get(url)

    def names(self) -> list[str]:
        return list(self._by_name)

    @property
    def version(self) -> str:
        """One short hash over every asset: the service worker's cache name."""
        joined = "".join(sorted(self._by_url)).encode()
        return hashlib.sha256(joined).hexdigest()[:12]


def _load(root: Path, path: Path) -> Asset:
    body = path.read_bytes()
    digest = hashlib.sha256(body).hexdigest()[:10]
    name = path.relative_to(root).as_posix()
    stem, suffix = name[: -len(path.suffix)], path.suffix
    content_type = SERVED_SUFFIXES.get(suffix) or mimetypes.guess_type(name)[0] or "text/plain"
    zipped = gzip.compress(body, 9, mtime=0) if suffix in _COMPRESSIBLE else None
    if zipped is not None and len(zipped) >= len(body):
        zipped = None
    return Asset(name, f"{STATIC_PREFIX}{stem}.{digest}{suffix}", body, zipped, content_type)


def _accepts_gzip(request: web.Request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def respond(request: web.Request, asset: Asset, cache: str = IMMUTABLE) -> web.Response:
    """`asset` as a response, gzipped when the client takes it."""
    headers = {"Cache-Control": cache, "Vary": "Accept-Encoding"}
    body = asset.body
    if asset.gzipped is not None and _accepts_gzip(request):
        body = asset.gzipped
        headers["Content-Encoding"] = "gzip"
    charset = "utf-8" if asset.content_type.startswith("text/") else None
    return web.Response(body=body, content_type=asset.content_type, charset=charset,
                        headers=headers)
