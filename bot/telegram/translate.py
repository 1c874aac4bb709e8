"""Telegram `Update` -> transport-neutral inbound event (pure functions, no I/O).

Adult content is allowed in the private chat with the bot only (`Inbound.adult_place`):
a group or supergroup is shared with everyone in it, like a Discord channel without an
age restriction (bot.discord.translate), whoever asks there.
"""

from __future__ import annotations

from telegram import Chat, Message, Update

from bot.conversation.events import (
    ButtonPress,
    Command,
    FileRef,
    Inbound,
    PaymentCheck,
    PaymentDone,
    Text,
    Upload,
)
from core.users import Who

TRANSPORT = "telegram"


def who_of(update: Update) -> Who | None:
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    return Who(
        transport=TRANSPORT,
        external_id=str(user.id),
        display_name=user.first_name,
        username=user.username,
        language=user.language_code,
    )


def to_event(update: Update) -> Inbound | None:
    """The event this update means to a flow, or None for updates we ignore."""
    who = who_of(update)
    query = update.pre_checkout_query
    if who is not None and query is not None:  # no chat: the payer's private chat
        return PaymentCheck(who, who.external_id, query_id=query.id,
                            payload=query.invoice_payload, currency=query.currency,
                            amount=query.total_amount)
    chat = update.effective_chat
    if who is None or chat is None:
        return None
    chat_id = str(chat.id)
    adult_place = chat.type == Chat.PRIVATE
    if update.callback_query is not None:
        return ButtonPress(who, chat_id, payload=update.callback_query.data or "",
                           event_id=f"telegram:cb:{update.callback_query.id}",
                           adult_place=adult_place)
    message = update.message
    if message is None:
        return None
    event_id = f"telegram:{chat_id}:{message.message_id}"
    paid = message.successful_payment
    if paid is not None:
        return PaymentDone(who, chat_id, charge_id=paid.telegram_payment_charge_id,
                           payload=paid.invoice_payload, currency=paid.currency,
                           amount=paid.total_amount,
                           expires_at=paid.subscription_expiration_date,
                           recurring=bool(paid.is_recurring), adult_place=adult_place)
    upload = _upload(message)
    if upload is not None:
        return Upload(who, chat_id, file=upload, caption=message.caption or "",
                      event_id=event_id, adult_place=adult_place)
    text = message.text or ""
    if text.startswith("/"):
        head, _, args = text[1:].partition(" ")
        name, _, addressee = head.partition("@")
        if addressee and not _is_us(addressee, message):
            return None  # "/start@other_bot" in a group is for another bot
        return Command(who, chat_id, name=name.lower(), args=args.strip(),
                       event_id=event_id, adult_place=adult_place)
    if text:
        replied = message.reply_to_message
        return Text(who, chat_id, text=text, event_id=event_id,
                    reply_to=None if replied is None else str(replied.message_id),
                    adult_place=adult_place)
    return None


def _is_us(addressee: str, message: Message) -> bool:
    """Whether `/cmd@addressee` names this bot. Telegram usernames are case-insensitive.
    Without a known username (a bot never initialised) we cannot tell, so we answer."""
    try:
        ours = message.get_bot().username
    except RuntimeError:
        return True
    return not ours or addressee.lower() == ours.lower()


def _upload(message: Message) -> FileRef | None:
    if message.photo:
        largest = message.photo[-1]
        return FileRef(
            TRANSPORT,
            largest.file_id,
            filename="photo.jpg",
            mime_type="image/jpeg",
            size=largest.file_size,
            is_photo=True,
        )
    doc = message.document
    if doc is not None:
        return FileRef(
            TRANSPORT, doc.file_id, doc.file_name, doc.mime_type, doc.file_size, is_photo=False
        )
    return None
