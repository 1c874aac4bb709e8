"""Outbound side of the Telegram adapter: our `Reply` -> Bot API calls."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError

from bot.conversation.events import FileRef
from bot.conversation.replies import (
    TELEGRAM_LIMITS,
    Button,
    FileTooLarge,
    MessageRef,
    Reply,
    check_layout,
)
from bot.telegram.outbound import retry_after as asked_wait
from core.retry import GIVE_UP, RETRY, Verdict, retry_after
from core.telegram_http import AnswerTimedOut

TRANSPORT = "telegram"
CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096


def keyboard(rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
    """Our keyboard as Telegram's; `LayoutError` if Telegram could not show it (a bug
    in a flow, caught by the layout specs long before a creator sees it)."""
    if not rows:
        return None
    check_layout(rows, TELEGRAM_LIMITS)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.payload)
                for b in row
            ]
            for row in rows
        ]
    )


class SentInPart(Exception):
    """The attachment went out but the text after it did not (not retried as a whole)."""


class TelegramChannel:
    transport = TRANSPORT
    # Ways to pay this transport takes in the chat itself (bot.flows.billing asks).
    payment_methods: tuple[str, ...] = ("stars",)

    def __init__(self, bot: Bot, chat_id: int | str) -> None:
        self._bot = bot
        self._chat_id = chat_id

    @staticmethod
    def delivery_verdict(error: Exception) -> Verdict:
        """A reply Telegram could not take now (a 5xx, a 429, no connection) is tried
        again; one it refused (a bad request, a blocked bot) never will be taken, and
        one it was slow to confirm has most likely been shown: not sent twice."""
        if isinstance(error, RetryAfter):
            return retry_after(asked_wait(error))
        if isinstance(error, BadRequest | Forbidden | InvalidToken | AnswerTimedOut):
            return GIVE_UP
        return RETRY if isinstance(error, TelegramError) else GIVE_UP

    async def send(self, reply: Reply) -> MessageRef:
        markup = keyboard(reply.buttons)
        text = reply.text[:TEXT_LIMIT]
        attachment = reply.attachment
        if attachment is None:
            msg = await self._bot.send_message(self._chat_id, text, reply_markup=markup)
            return _ref(msg)
        fits = len(text) <= CAPTION_LIMIT
        caption = text if fits else None
        if attachment.as_photo:
            msg = await self._bot.send_photo(
                self._chat_id,
                attachment.data,
                caption=caption,
                reply_markup=markup if fits else None,
                filename=attachment.filename,
            )
        else:
            msg = await self._bot.send_document(
                self._chat_id,
                attachment.data,
                caption=caption,
                reply_markup=markup if fits else None,
                filename=attachment.filename,
            )
        if not fits:
            try:
                msg = await self._bot.send_message(self._chat_id, text, reply_markup=markup)
            except TelegramError as exc:  # the file is out: a retry must not send it again
                raise SentInPart(str(exc)) from exc
        return _ref(msg)

    async def edit(self, ref: MessageRef, reply: Reply) -> MessageRef:
        try:
            await self._bot.edit_message_text(
                reply.text[:TEXT_LIMIT],
                chat_id=ref.chat_id,
                message_id=int(ref.message_id),
                reply_markup=keyboard(reply.buttons),
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise
        return ref

    async def answer_payment_check(self, query_id: str, ok: bool, error: str | None) -> None:
        """Telegram's pre-checkout answer: the payment goes ahead only if `ok`."""
        await self._bot.answer_pre_checkout_query(query_id, ok, error_message=error)

    async def download(self, file: FileRef, max_bytes: int) -> bytes:
        if file.size is not None and file.size > max_bytes:
            raise FileTooLarge(file.size, max_bytes)
        tg_file = await self._bot.get_file(file.file_id)
        if tg_file.file_size is not None and tg_file.file_size > max_bytes:
            raise FileTooLarge(tg_file.file_size, max_bytes)
        data = bytes(await tg_file.download_as_bytearray())
        if len(data) > max_bytes:
            raise FileTooLarge(len(data), max_bytes)
        return data


def _ref(msg: Message) -> MessageRef:
    return MessageRef(chat_id=str(msg.chat_id), message_id=str(msg.message_id))
