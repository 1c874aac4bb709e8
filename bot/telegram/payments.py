"""Telegram's pre-checkout query, answered within its 10 s.

A pre-checkout query has no chat, and the adapter's update handler only serves updates
that have one, so this handler runs first (group -1): it turns the query into a
`PaymentCheck` and hands it to the dispatcher with a channel on the payer's private
chat, where the billing flow answers it from pure checks (signature, user, price).
`successful_payment` messages have a chat and take the adapter's ordinary path.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.conversation.dispatcher import Dispatcher
from bot.conversation.events import PaymentCheck
from bot.telegram.channel import TelegramChannel
from bot.telegram.inbox import AnyApplication
from bot.telegram.translate import to_event

GROUP = -1  # before the adapter's handler (group 0)


def install(application: AnyApplication, dispatcher: Dispatcher) -> None:
    """Route pre-checkout queries of `application` to `dispatcher`."""

    async def on_pre_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.pre_checkout_query is None:
            return
        event = to_event(update)
        if isinstance(event, PaymentCheck):
            await dispatcher.handle(event, TelegramChannel(context.bot, event.chat_id))
        raise ApplicationHandlerStop  # handled here, whatever later groups would do

    application.add_handler(TypeHandler(Update, on_pre_checkout), group=GROUP)
