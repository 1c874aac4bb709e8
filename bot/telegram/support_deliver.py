"""/support messages delivered to the team's Telegram chat (core.support, through the
outbox as the `team` deliverer).

Each notice names one team chat (the support group, or one admin's private chat). The
message shows the creator's words with their context, read fresh from the database;
a photo goes first, then the words. Each message sent is recorded as showing the
ticket, so an admin's reply to either answers it (bot.flows.support). An anomaly alert
(core.analytics.alerts) is one plain message to its chat. A network error,
5xx or flood wait raises and the outbox retries; a chat that is gone or closed to the
bot is final (`False`, logged): the ticket stays stored for the team to read. Each
message waits for room in the global limits (bot.telegram.outbound).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.telegram.outbound import limited
from core.analytics.alerts import ALERT_NOTICE
from core.posting.outbox import TEAM, Notice
from core.support import TEAM_NOTICE, Support
from core.texts import support as t
from core.texts.alerts import alert_text

if TYPE_CHECKING:
    from telegram import Bot

    from core.bootstrap import Core

log = logging.getLogger(__name__)
MAX_TEXT = 4096  # Telegram's limit for one message
PHOTO_CAPTION = "🆘 Ticket #{ticket}"


class TeamDeliverer:
    name = TEAM

    def __init__(self, core: Core, bot: Bot) -> None:
        self._core = core
        self._bot = bot
        self._support = Support(core.settings, core.clock)

    async def deliver(self, notice: Notice) -> bool:
        from telegram.error import BadRequest, Forbidden

        chat = str(notice.payload.get("chat") or "")
        if notice.kind == ALERT_NOTICE and chat.lstrip("-").isdigit():
            return await self._alert(int(chat), notice)
        message_id = notice.payload.get("message")
        if notice.kind != TEAM_NOTICE or not chat.lstrip("-").isdigit() \
                or not isinstance(message_id, int):
            return False
        async with self._core.db.read() as session:
            context = await self._support.context(session, message_id)
        if context is None:
            return False  # the creator deleted their account since
        shown: list[str] = []
        try:
            if context.photo is not None:
                photo, caption = context.photo, PHOTO_CAPTION.format(ticket=context.ticket_id)
                sent = await limited(self._core, self._bot, chat, lambda: self._bot.send_photo(
                    int(chat), photo, caption=caption))
                shown.append(str(sent.message_id))
            text = t.team_text(context)[:MAX_TEXT]
            sent = await limited(self._core, self._bot, chat,
                                 lambda: self._bot.send_message(int(chat), text))
            shown.append(str(sent.message_id))
        except (Forbidden, BadRequest) as exc:
            log.warning("support chat %s refused ticket %s: %s", chat, context.ticket_id, exc)
            return False
        async with self._core.db.session() as session:
            for ref in shown:
                await self._support.shown(session, context.ticket_id, chat, ref)
        return True

    async def _alert(self, chat: int, notice: Notice) -> bool:
        from telegram.error import BadRequest, Forbidden

        try:
            await self._bot.send_message(
                chat, alert_text(notice.payload, self._core.clock.now())[:MAX_TEXT])
        except (Forbidden, BadRequest) as exc:
            log.warning("team chat %s refused alert %s: %s", chat, notice.event_key, exc)
            return False
        return True
