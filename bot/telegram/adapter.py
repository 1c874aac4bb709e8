"""Runs python-telegram-bot inside the shared event loop (never `run_polling`).

The adapter owns the `Application`; every update becomes one dispatcher call with a
`TelegramChannel`. Button presses are acknowledged first so the user's spinner stops
even if the flow takes a while.

Updates never go through PTB's in-memory update queue: the webhook route and our own
getUpdates loop commit them to the inbox first, and the inbox consumer hands each to
`Application.process_update` (bot.telegram.inbox), so PTB's `Updater` is not used.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler

from bot.conversation.dispatcher import Dispatcher
from bot.conversation.ordering import ChatSerializer
from bot.telegram.channel import TelegramChannel
from bot.telegram.inbox import AnyApplication, TelegramInbox, bot_id
from bot.telegram.inline import answer as answer_inline
from bot.telegram.outbound import OutboundRateLimiter
from bot.telegram.registration import WebhookClaims, deploy_key
from bot.telegram.registration import forget as forget_registration
from bot.telegram.translate import to_event
from bot.telegram.webhook import WEBHOOK_PATH, mount, register_once, until_registered
from core.background import in_background
from core.settings import TelegramSettings
from core.telegram_http import AiohttpRequest
from core.version import __version__

log = logging.getLogger(__name__)

class TelegramAdapter:
    def __init__(
        self,
        settings: TelegramSettings,
        dispatcher: Dispatcher,
        serializer: ChatSerializer | None = None,
    ) -> None:
        """`serializer` is shared with the process's other chat adapters (one per
        process keeps the database's writer bound across all of them)."""
        if settings.token is None:
            raise ValueError("telegram.token is required for the Telegram adapter")
        self._settings = settings
        self._dispatcher = dispatcher
        token = settings.token.get_secret_value()
        self.application: AnyApplication = (
            ApplicationBuilder()
            .token(token)
            .base_url(settings.api_base_url)
            .base_file_url(settings.file_base_url)
            .updater(None)
            # aiohttp, not PTB's httpx: far less CPU per call (core.telegram_http); PTB adds
            # the long-poll seconds to getUpdates' read timeout itself
            .request(AiohttpRequest())
            .get_updates_request(AiohttpRequest(connection_pool_size=1))
            # every message sent or edited waits for room in the global limits
            .rate_limiter(OutboundRateLimiter(dispatcher.core.outbound,
                                              dispatcher.core.settings.outbound, token))
            .build()
        )
        self.application.add_handler(TypeHandler(Update, self._on_update))
        # webhook mode answers a button press in the webhook's response (bot.telegram
        # .webhook); polling answers it here, as the press is processed
        self._answered_on_receipt = False
        self.application.add_error_handler(self._on_error)
        core = dispatcher.core
        self._db, self._clock, self._token = core.db, core.clock, token
        self.inbox = TelegramInbox(
            self.application, token, core.db, core.clock,
            serializer or ChatSerializer.for_database(core.db.dialect),
            core.settings.telegram.inbox_lease_seconds,
        )

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.inline_query is not None:  # "@bot help ..." (bot.telegram.inline)
            await answer_inline(update.inline_query)
            return
        event = to_event(update)
        chat = update.effective_chat
        if event is None or chat is None:
            return
        if update.callback_query is not None and not self._answered_on_receipt:
            try:
                await update.callback_query.answer()
            except TelegramError:
                log.warning("could not answer callback query", exc_info=True)
        await self._dispatcher.handle(event, TelegramChannel(context.bot, chat.id))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update failed", exc_info=context.error)

    async def _publish_commands(self) -> None:
        commands = [
            BotCommand(name, (flow.help_line.split("–", 1)[-1].strip() or name)[:256])
            for name, flow in self._dispatcher.commands.items()
        ]
        try:
            await self.application.bot.set_my_commands(commands)
        except TelegramError:
            log.warning("could not publish the command list", exc_info=True)

    @asynccontextmanager
    async def webhook(self, public_url: str) -> AsyncIterator[AnyApplication]:
        """Process the updates the web route commits to the inbox; register the webhook.

        The webhook is not deleted on exit: with several processes behind one URL the
        others keep serving it.
        """
        secret = self._settings.webhook_secret
        if secret is None:
            raise ValueError("telegram.webhook_secret is required in webhook mode")
        app = self.application
        self._answered_on_receipt = True
        async with app:
            await app.start()
            try:  # a failed registration stops the app, so the caller may try again
                url = public_url.rstrip("/") + WEBHOOK_PATH

                async def register() -> None:
                    await self._publish_commands()
                    await app.bot.set_webhook(url=url, secret_token=secret.get_secret_value(),
                                              allowed_updates=Update.ALL_TYPES)
                    log.info("telegram webhook registered")

                # once per deploy, by whichever of its processes comes first; the others
                # watch that it gets done (its holder may die before it is)
                claims = self.claims_for(url, secret.get_secret_value())
                await register_once(claims, register)
                async with self.inbox.consuming(), in_background(
                        until_registered(claims, register, self._clock),
                        "telegram-webhook-registration"):
                    yield app
            finally:
                await app.stop()

    def claims_for(self, url: str, secret: str) -> WebhookClaims:
        """The once-per-deploy claim on registering `url` with `secret`."""
        bot = bot_id(self._token)
        key = deploy_key(bot, url, secret, __version__, Update.ALL_TYPES)
        return WebhookClaims(self._db, self._clock, bot, key)

    def mount_webhook(self, web_app: web.Application) -> None:
        """Add the webhook route to the web companion (before it starts)."""
        secret = self._settings.webhook_secret
        if secret is None:
            raise ValueError("telegram.webhook_secret is required in webhook mode")
        mount(web_app, self.inbox, secret.get_secret_value())

    @asynccontextmanager
    async def polling(self) -> AsyncIterator[AnyApplication]:
        """Poll into the inbox and process it within the caller's loop; stop on exit."""
        app = self.application
        async with app:
            await app.start()
            try:  # a failed start stops the app, so the caller may try again
                await self._publish_commands()
                await app.bot.delete_webhook(drop_pending_updates=False)  # or getUpdates fails
                await forget_registration(self._db, bot_id(self._token))
                async with self.inbox.consuming(), in_background(
                        self.inbox.poll(self._settings.poll_timeout), "telegram-polling"):
                    log.info("telegram polling started")
                    yield app
            finally:
                await app.stop()
