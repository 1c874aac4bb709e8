"""Pages anyone may read: help centre, Terms, Privacy, and the app shortcuts' targets.

The help search works without JavaScript (`/help?q=...` filters on the server); with
it, `help.js` filters as you type and Ctrl/Cmd-K jumps to the box.
"""

from __future__ import annotations

from aiohttp import web

from web.pages.help_articles import ARTICLES, search
from web.render import render

MAX_QUERY = 100


async def help_centre(request: web.Request) -> web.Response:
    query = request.query.get("q", "")[:MAX_QUERY]
    found = search(query)
    return await render(request, "help.html", page_title="Help", query=query,
                        articles=ARTICLES, shown={a.slug for a in found}, count=len(found))


async def terms(request: web.Request) -> web.Response:
    return await render(request, "terms.html", page_title="Terms of Service")


async def privacy(request: web.Request) -> web.Response:
    return await render(request, "privacy.html", page_title="Privacy Policy")


async def caption(request: web.Request) -> web.Response:
    return await render(request, "chat_feature.html", page_title="Caption", heading="Captions",
                        command="/caption", what="describe your photo and pick a tone")


async def post(request: web.Request) -> web.Response:
    return await render(request, "chat_feature.html", page_title="Post", heading="Post",
                        command="/post", what="pick a photo, a subreddit and now or later")


def setup(app: web.Application) -> None:
    app.router.add_get("/help", help_centre)
    app.router.add_get("/terms", terms)
    app.router.add_get("/privacy", privacy)
    app.router.add_get("/caption", caption)
    app.router.add_get("/post", post)
