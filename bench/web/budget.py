"""The page weight budget: at most 50 KB of JS + CSS, gzipped, on any page.

Counts what a page makes the browser fetch from us (stylesheets, scripts) plus inline
`<style>`/`<script>`, each as gzip bytes on the wire (compressed here when the server
sent it plain, since the budget is about gzip size).
"""

from __future__ import annotations

import gzip
import re
import urllib.request

BUDGET_BYTES = 50 * 1024
_STYLESHEET = re.compile(r'<link[^>]*rel="stylesheet"[^>]*href="(/[^"]+)"')
_SCRIPT = re.compile(r'<script[^>]*src="(/[^"]+)"')
_INLINE = re.compile(r"<(style|script)(?![^>]*\bsrc=)[^>]*>(.*?)</\1>", re.S)


def _get(url: str, cookie: str | None) -> tuple[bytes, bool]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=60) as resp:
        return resp.read(), resp.headers.get("Content-Encoding") == "gzip"


def page_weight(base: str, path: str, cookie: str | None = None) -> int:
    """Gzipped bytes of the JS and CSS `path` loads."""
    body, zipped = _get(base + path, cookie)
    html = (gzip.decompress(body) if zipped else body).decode()
    total = sum(len(gzip.compress(m.group(2).encode(), 9)) for m in _INLINE.finditer(html))
    for asset in {*_STYLESHEET.findall(html), *_SCRIPT.findall(html)}:
        data, zipped = _get(base + asset, cookie)
        total += len(data) if zipped else len(gzip.compress(data, 9))
    return total
