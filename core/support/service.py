"""/support: a creator's message to the team, and the team's answer back.

A message is stored as a ticket with its first message, and one outbox notice per team
chat (kind `team_support`, core.posting.outbox) is added in the same transaction, so a
crash can lose neither: the team's Telegram deliverer shows it with the creator's
context and records where (`SupportForward`), so an admin's reply to that message is
an answer. An answer is stored the same way with a `support_reply` notice for the
creator, tried first on the transport they wrote from. Only admins
(core.auth.admins) answer; a creator may send `per_hour` messages an hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.admins import is_admin
from core.clock import Clock
from core.db.models import Event, Identity, User
from core.errors import UserFacingError
from core.events import EventKind
from core.posting.outbox import notify
from core.settings import Settings
from core.support.models import SupportForward, SupportMessage, SupportTicket

TEAM_NOTICE = "team_support"  # for the team's chat (core.posting.outbox.TEAM)
REPLY_NOTICE = "support_reply"  # the team's answer, for the creator
MAX_TEXT = 3000  # characters of one message (a Telegram message holds 4096)
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # what Telegram's sendPhoto takes
OPEN, ANSWERED = "open", "answered"
# Event kinds that tell the team what went wrong for the creator lately.
TROUBLE = (EventKind.ERROR, EventKind.POST_FAILED, EventKind.CAPTION_REFUSED,
           EventKind.CAPTION_OUTPUT_BLOCKED, EventKind.CAPTION_QUOTA_REACHED,
           EventKind.QUOTA_REACHED, EventKind.LIMIT_REACHED)
TROUBLE_DAYS = 7


@dataclass(frozen=True)
class Context:
    """What the team sees beside a message: who wrote, from where, in what situation."""

    ticket_id: int
    user_id: int
    name: str | None
    wrote_from: str
    transports: tuple[str, ...]
    tier: str
    nsfw: bool
    timezone: str
    recent_trouble: tuple[str, ...]  # newest first; codes where known, else the kind
    text: str
    photo: bytes | None


@dataclass(frozen=True)
class Answer:
    ticket_id: int
    user_id: int


def team_chats(settings: Settings) -> list[str]:
    """Where the team reads support: the support chat, else each admin's private chat."""
    admin = settings.admin
    if admin.support_chat_id is not None:
        return [str(admin.support_chat_id)]
    return [str(i) for i in dict.fromkeys(admin.telegram_ids)]


class Support:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock

    async def write(self, session: AsyncSession, user: User, transport: str, chat_id: str,
                    text: str, photo: bytes | None = None) -> int:
        """Store the creator's message as a new ticket and queue it for the team; returns
        the ticket number. Refuses an empty or overlong message and too many an hour."""
        text = text.strip()
        if not text and photo is None:
            raise UserFacingError("support_empty")
        if len(text) > MAX_TEXT:
            raise UserFacingError("support_too_long", limit=MAX_TEXT)
        if photo is not None and len(photo) > MAX_PHOTO_BYTES:
            raise UserFacingError("support_photo_too_large", limit_mb=MAX_PHOTO_BYTES >> 20)
        now = self._clock.now()
        await self._within_limit(session, user.id, now)
        ticket = SupportTicket(user_id=user.id, transport=transport, chat_id=chat_id,
                               state=OPEN, created_at=now, updated_at=now)
        session.add(ticket)
        await session.flush()
        message = SupportMessage(ticket_id=ticket.id, author="user", user_id=user.id,
                                 text=text, photo=photo, created_at=now)
        session.add(message)
        await session.flush()
        for chat in team_chats(self._settings):
            await notify(session, now, user.id, TEAM_NOTICE,
                         f"support:{message.id}:team:{chat}", ticket=ticket.id,
                         message=message.id, chat=chat)
        return ticket.id

    async def _within_limit(self, session: AsyncSession, user_id: int, now: datetime) -> None:
        per_hour = self._settings.admin.support_per_hour
        sent = await session.scalar(
            select(func.count(SupportMessage.id)).where(
                SupportMessage.user_id == user_id, SupportMessage.author == "user",
                SupportMessage.created_at > now - timedelta(hours=1)))
        if (sent or 0) >= per_hour:
            raise UserFacingError("support_too_many", per_hour=per_hour)

    async def require_admin(self, session: AsyncSession, user: User) -> None:
        """Refuse (kindly) anyone who is not a configured admin."""
        if not await is_admin(session, self._settings, user.id):
            raise UserFacingError("support_not_admin")

    async def answer(self, session: AsyncSession, admin: User, ticket_id: int, text: str
                     ) -> Answer:
        """An admin's answer to ticket `ticket_id`, queued for the creator."""
        await self.require_admin(session, admin)
        text = text.strip()
        if not text:
            raise UserFacingError("support_reply_empty")
        if len(text) > MAX_TEXT:
            raise UserFacingError("support_too_long", limit=MAX_TEXT)
        ticket = await session.get(SupportTicket, ticket_id)
        if ticket is None:
            raise UserFacingError("support_no_ticket", ticket=ticket_id)
        now = self._clock.now()
        message = SupportMessage(ticket_id=ticket.id, author="team", user_id=admin.id,
                                 text=text, created_at=now)
        session.add(message)
        ticket.state, ticket.updated_at = ANSWERED, now
        await session.flush()
        await notify(session, now, ticket.user_id, REPLY_NOTICE, f"support:{message.id}:user",
                     ticket=ticket.id, text=text, via=ticket.transport)
        return Answer(ticket.id, ticket.user_id)

    async def ticket_shown_at(self, session: AsyncSession, chat_id: str, message_ref: str
                              ) -> int | None:
        """The ticket whose message the team saw as `message_ref` in `chat_id`, if any."""
        return await session.scalar(select(SupportForward.ticket_id).where(
            SupportForward.chat_id == chat_id, SupportForward.message_ref == message_ref))

    async def shown(self, session: AsyncSession, ticket_id: int, chat_id: str,
                    message_ref: str) -> None:
        """Remember that the team sees ticket `ticket_id` as `message_ref` in `chat_id`."""
        if await self.ticket_shown_at(session, chat_id, message_ref) is None:
            session.add(SupportForward(ticket_id=ticket_id, chat_id=chat_id,
                                       message_ref=message_ref, created_at=self._clock.now()))

    async def context(self, session: AsyncSession, message_id: int) -> Context | None:
        """The message `message_id` with its creator's context, as the team sees it."""
        row = (await session.execute(
            select(SupportMessage, SupportTicket, User)
            .join(SupportTicket, SupportTicket.id == SupportMessage.ticket_id)
            .join(User, User.id == SupportTicket.user_id)
            .where(SupportMessage.id == message_id))).first()
        if row is None:
            return None
        message, ticket, user = row
        transports = tuple(sorted(set(await session.scalars(
            select(Identity.transport).where(Identity.user_id == user.id)))))
        since = self._clock.now() - timedelta(days=TROUBLE_DAYS)
        events = await session.scalars(
            select(Event).where(Event.user_id == user.id, Event.kind.in_(TROUBLE),
                                Event.created_at >= since)
            .order_by(Event.created_at.desc(), Event.id.desc()).limit(3))
        trouble = tuple(_trouble_code(e) for e in events)
        return Context(ticket.id, user.id, user.display_name, ticket.transport, transports,
                       user.tier, user.may_see_nsfw, user.timezone, trouble, message.text,
                       message.photo)


def _trouble_code(event: Event) -> str:
    data = event.data or {}
    for key in ("code", "reason", "fingerprint"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return f"{event.kind}: {value[:40]}"
    return event.kind
