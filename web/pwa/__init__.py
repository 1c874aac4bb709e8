"""The installable app: static assets, web app manifest, service worker, offline page.

The manifest and the service worker are rendered at start from the asset table, so
they always name the current fingerprinted files. The worker lives at `/sw.js` (its
scope is the whole site) and is itself never cached long: a browser must notice a new
deploy on its next visit.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from core.texts import site as texts
from web.assets import STATIC_PREFIX, Assets, respond
from web.keys import ASSETS_KEY, TEMPLATES_KEY

THEME_COLOUR = "#7b2cbf"
BACKGROUND_COLOUR = "#ffffff"
REVALIDATE = "no-cache"
OFFLINE_PATH = "/offline"
SAVED_PATH = "/offline/saved"  # what a form posted offline answers (kept, sent later)
# Form posts the worker keeps while offline and sends when the connection returns.
QUEUEABLE = (r"^/settings/(voice|content|posting|notifications)$",
             r"^/queue/\d{1,18}/(cancel|reschedule)$")
# What the worker stores at install, so the offline page works on the first offline load.
PRECACHE = ("app.css", "app.js", "offline-queue.js", "icons/icon-192.png")


def manifest(assets: Assets) -> dict[str, Any]:
    """The web app manifest (installability needs name, icons 192+512, start_url, display)."""
    def icon(name: str, size: int, purpose: str) -> dict[str, str]:
        return {"src": assets.url(name), "sizes": f"{size}x{size}", "type": "image/png",
                "purpose": purpose}

    return {
        "id": "/",
        "name": "ThottoPilot",
        "short_name": "ThottoPilot",
        "description": texts.APP_DESCRIPTION,
        "start_url": "/settings?source=pwa",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            icon("icons/icon-192.png", 192, "any"),
            icon("icons/icon-512.png", 512, "any"),
            icon("icons/maskable-192.png", 192, "maskable"),
            icon("icons/maskable-512.png", 512, "maskable"),
        ],
        "shortcuts": [
            {"name": texts.SHORTCUT_CAPTION[0], "short_name": texts.SHORTCUT_CAPTION[0],
             "url": "/caption", "description": texts.SHORTCUT_CAPTION[1],
             "icons": [{"src": assets.url("icons/icon-192.png"), "sizes": "192x192"}]},
            {"name": texts.SHORTCUT_POST[0], "short_name": texts.SHORTCUT_POST[0], "url": "/post",
             "description": texts.SHORTCUT_POST[1],
             "icons": [{"src": assets.url("icons/icon-192.png"), "sizes": "192x192"}]},
        ],
    }


def service_worker(assets: Assets) -> str:
    """`sw.js` with this deploy's cache name and precache list filled in."""
    source = assets.by_url(assets.url("sw-template.js"))
    assert source is not None
    config = {"version": assets.version, "offline": OFFLINE_PATH, "static": STATIC_PREFIX,
              "saved": SAVED_PATH, "queueable": list(QUEUEABLE), "open": "/queue",
              "icon": assets.url("icons/icon-192.png"), "texts": texts.OFFLINE_QUEUE,
              "precache": [OFFLINE_PATH, SAVED_PATH,
                           *(assets.url(name) for name in PRECACHE)]}
    return source.body.decode().replace("/*CONFIG*/{}", json.dumps(config, sort_keys=True))


async def static_file(request: web.Request) -> web.Response:
    asset = request.app[ASSETS_KEY].by_url(request.path)
    if asset is None:  # an old fingerprint or no such file: nothing to cache
        raise web.HTTPNotFound(text=texts.NO_SUCH_FILE, headers={"Cache-Control": "no-store"})
    return respond(request, asset)


async def manifest_file(request: web.Request) -> web.Response:
    body = json.dumps(manifest(request.app[ASSETS_KEY]), separators=(",", ":"))
    return web.Response(text=body, content_type="application/manifest+json",
                        headers={"Cache-Control": REVALIDATE})


async def worker_file(request: web.Request) -> web.Response:
    return web.Response(text=service_worker(request.app[ASSETS_KEY]),
                        content_type="text/javascript",
                        headers={"Cache-Control": REVALIDATE})


async def offline_page(request: web.Request) -> web.Response:
    """The offline page; at SAVED_PATH its "kept, will send" variant (both precached)."""
    saved = request.path == SAVED_PATH
    template = request.app[TEMPLATES_KEY].get_template("offline.html")
    html = await template.render_async(
        page_title=texts.OFFLINE_SAVED[0] if saved else texts.OFFLINE_TITLE, saved=saved,
        texts=texts)
    return web.Response(text=html, content_type="text/html",
                        headers={"Cache-Control": REVALIDATE})


def setup(app: web.Application) -> None:
    app[ASSETS_KEY] = assets = Assets()
    env = app[TEMPLATES_KEY]
    env.globals["asset"] = assets.url
    env.globals["theme_colour"] = THEME_COLOUR
    app.router.add_get(STATIC_PREFIX + "{tail:.+}", static_file)
    app.router.add_get("/manifest.webmanifest", manifest_file)
    app.router.add_get("/sw.js", worker_file)
    app.router.add_get(OFFLINE_PATH, offline_page)
    app.router.add_get(SAVED_PATH, offline_page)
