"""Telegram webhook route, mounted onto the web companion by the runner.

Telegram echoes the secret we registered in `X-Telegram-Bot-Api-Secret-Token`; a
request without the right secret is refused before its body is parsed. Accepted
updates go onto PTB's update queue so Telegram gets its 200 at once and a slow flow
never causes a redelivery storm.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
MAX_UPDATE_BYTES = 1024 * 1024


def webhook_handler(application: Application, secret: str) -> web.Handler:
    async def handle(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("telegram webhook with a wrong secret from %s", request.remote)
            return web.json_response({"error": "forbidden"}, status=403)
        if request.content_length is not None and request.content_length > MAX_UPDATE_BYTES:
            return web.json_response({"error": "too_large"}, status=413)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError):
            return web.json_response({"error": "malformed_update"}, status=400)
        if update is None:
            return web.json_response({"error": "malformed_update"}, status=400)
        await application.update_queue.put(update)
        return web.json_response({"ok": True})

    return handle


def mount(app: web.Application, application: Application, secret: str) -> None:
    app.router.add_post(WEBHOOK_PATH, webhook_handler(application, secret))
