"""Notices from the scheduler (core.posting.outbox) delivered to creators on Telegram.

A creator who scheduled a post is usually not chatting when it goes live, so the
delivery loop sends the notice into their private chat with the bot (a private chat's
id is the user's id). A creator with no Telegram identity is not ours to reach
(`False`: another transport may be). A network error, Telegram's 5xx or a flood wait
raises, and the outbox tries again later with backoff (not a send Telegram was only slow
to confirm: that one was most likely shown); a user who blocked the bot or
deleted their account is final (`False`), so the row is not retried forever. Each
message waits for room in the global limits (bot.telegram.outbound); a flood wait is
waited out there first, a few times, before it reaches the outbox.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.telegram.outbound import limited
from core.db.models import Identity
from core.posting.outbox import Notice
from core.telegram_http import AnswerTimedOut
from core.texts import schedule as ts

if TYPE_CHECKING:
    from telegram import Bot

    from core.bootstrap import Core

TRANSPORT = "telegram"
log = logging.getLogger(__name__)


class TelegramDeliverer:
    name = TRANSPORT

    def __init__(self, core: Core, bot: Bot) -> None:
        self._core = core
        self._bot = bot

    async def _chat_id(self, user_id: int) -> int | None:
        async with self._core.db.read() as session:
            external = await session.scalar(select(Identity.external_id).where(
                Identity.user_id == user_id, Identity.transport == TRANSPORT))
        return int(external) if external is not None and external.lstrip("-").isdigit() \
            else None

    async def deliver(self, notice: Notice) -> bool:
        from telegram.error import BadRequest, Forbidden

        chat_id = await self._chat_id(notice.user_id)
        if chat_id is None:
            return False
        try:
            text = ts.notice_text(notice.kind, notice.payload)
            await limited(self._core, self._bot, chat_id,
                          lambda: self._bot.send_message(chat_id, text))
        except (Forbidden, BadRequest):  # blocked us, or the chat is gone: final
            return False
        except AnswerTimedOut:
            # sent, and Telegram was slow to confirm: it has most likely shown it, and
            # sending it again would show the creator the same notice twice
            log.info("notice %s: no answer in time; counted as delivered", notice.event_key)
        return True
