"""Telegram webhook route, mounted onto the web companion by the runner.

Telegram echoes the secret we registered in `X-Telegram-Bot-Api-Secret-Token`; a
request without the right secret is refused before its body is read. An accepted update
is committed to the inbox *before* the 200: Telegram forgets an update once we answered,
so an update only in memory would be lost to a crash. Processing happens afterwards,
from the inbox (bot.telegram.inbox), so a slow flow never delays the answer.

A button press is answered in the 200 itself: Telegram runs a Bot API method given in
a webhook's response (answerCallbackQuery here), which stops the button's spinner as
soon as the press is safely stored and spares the processing a call of its own. Its
result is never known, which costs nothing here: an unanswered press only spins a
little longer, and its answer carried nothing anyway.

A body that is not a JSON object, or is one PTB cannot parse as an update, is the
sender's mistake: a 400 with one warning line, never a traceback. A database that
cannot take the update gets a 503, so Telegram delivers it again later.

Any number of processes may serve the route: the inbox recognises a redelivered
update_id, and claims only a chat's oldest open update, so order holds whichever
process an update landed on. Registering the webhook (setWebhook, and the command list
with it) happens once per deploy, not once per process (`register_once`).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.telegram.registration import ABANDONED, WebhookClaims
from web.bodies import read_json_object

if TYPE_CHECKING:
    from bot.telegram.inbox import TelegramInbox
    from core.clock import Clock

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
MAX_UPDATE_BYTES = 1024 * 1024


def webhook_handler(
    inbox: TelegramInbox, secret: str
) -> Callable[[web.Request], Awaitable[web.Response]]:
    from bot.telegram.inbox import BadUpdate, incoming

    if not secret:  # settings refuse one; never let an empty secret open the door
        raise ValueError("the telegram webhook needs a secret")
    expected = secret.encode()

    async def handle(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None or not hmac.compare_digest(given.encode("utf-8", "replace"),
                                                    expected):
            log.warning("telegram webhook with a wrong secret from %s", request.remote)
            return web.json_response({"error": "forbidden"}, status=403)
        data = await read_json_object(request, max_bytes=MAX_UPDATE_BYTES)
        try:
            update, parsed = incoming(data, inbox.application.bot)
        except BadUpdate as exc:
            log.warning("refused a malformed telegram update: %s", exc)
            return web.json_response({"error": "malformed_update"}, status=400)
        try:
            await inbox.record(update, parsed=parsed)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("could not store telegram update %s (%s); Telegram will retry",
                        update.update_id, type(exc).__name__)
            return web.json_response({"error": "unavailable"}, status=503)
        press = parsed.callback_query
        if press is not None:
            return web.json_response({"method": "answerCallbackQuery",
                                      "callback_query_id": press.id})
        return web.json_response({"ok": True})

    return handle


def mount(app: web.Application, inbox: TelegramInbox, secret: str) -> None:
    app.router.add_post(WEBHOOK_PATH, webhook_handler(inbox, secret))


async def until_registered(claims: WebhookClaims, register: Callable[[], Awaitable[object]],
                           clock: Clock) -> None:
    """Run beside the consumer: while another process holds this deploy's registration
    unfinished, look again every quarter of `ABANDONED`; take it over and register once
    it is abandoned (its holder died mid-setWebhook). Returns once it is done."""
    every = ABANDONED.total_seconds() / 4
    while not await claims.finished():
        await clock.sleep(every)
        try:
            if not await claims.finished() and await register_once(claims, register):
                return
        except Exception:  # Telegram or the database failing now: look again later
            log.warning("telegram webhook registration failed; trying again",
                        exc_info=True)


async def register_once(
    claims: WebhookClaims, register: Callable[[], Awaitable[object]]
) -> bool:
    """Run `register` (setWebhook and friends) unless this deploy already did.

    True if this process registered. A failed registration gives its claim back, so
    the retry (here or in another process) registers; the error is raised as before.
    """
    if not await claims.claim():
        log.info("telegram webhook already registered for this deploy")
        return False
    try:
        await register()
    except BaseException:
        await claims.give_back()
        raise
    await claims.finish()
    return True
