"""Telegram updates through the inbox (core.inbox): durable before acknowledged, once.

Both ways Telegram delivers end in the same place:

- webhook: the route validates the update and commits it (`record`) before it answers
  200 (bot.telegram.webhook);
- polling: `poll` is our own small getUpdates loop instead of PTB's `Updater`. Telegram
  counts an update as confirmed when a later getUpdates asks for a higher `offset`; the
  loop moves the offset past a batch only after the batch is committed, so whatever
  Telegram forgets we already hold. (PTB's Updater confirms whatever it put on its
  in-memory queue, and its queue is not a seam we could make durable without relying on
  its internals.) A batch fetched again after a crash is recognised by its update ids.

From there one `InboxConsumer` processes each update through PTB's
`Application.process_update` (so handlers and error handlers run as always), under the
process's `ChatSerializer`, and marks it done.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot.conversation.ordering import ChatSerializer
from bot.telegram.ordering import TRANSPORT, chat_key
from core.clock import Clock
from core.db.database import Database
from core.inbox import Claimed, Inbox, InboxConsumer, Incoming
from core.retry import Backoff

log = logging.getLogger(__name__)

STOP_GRACE = 0.5  # seconds an update being handled at stop may take to finish
POLL_BACKOFF = Backoff(base=1.0, cap=30.0)
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
_jitter = random.Random()  # noqa: S311 - jitter, not security
_PARSE_ERRORS = (AttributeError, ValueError, TypeError, KeyError, OverflowError)
PARSED_KEPT = 1024  # updates recorded here, kept parsed for this process's consumer


class BadUpdate(ValueError):
    """JSON that is not a Telegram update we could process (the sender's mistake)."""


def bot_id(token: str) -> str:
    """The bot's numeric id: the part of its token before the colon (public, not secret)."""
    return token.split(":", 1)[0]


def incoming(data: dict[str, Any], bot: Bot) -> tuple[Incoming, Update]:
    """Check `data` parses as an update (as the consumer will parse it) and key it; the
    parsed update comes along, for `TelegramInbox.record` to keep."""
    update_id = data.get("update_id")
    if isinstance(update_id, bool) or not isinstance(update_id, int) \
            or not 0 <= update_id < 2**63:
        raise BadUpdate("update_id is not a non-negative integer")
    try:
        update = Update.de_json(data, bot)
        chat = update.effective_chat
    except _PARSE_ERRORS as exc:
        raise BadUpdate(f"not an update ({type(exc).__name__})") from None
    if chat is not None and (isinstance(chat.id, bool) or not isinstance(chat.id, int)):
        raise BadUpdate("chat id is not an integer")
    key = chat_key(update)
    return Incoming(update_id, None if key is None else key[1], data), update


class TelegramInbox:
    def __init__(self, application: AnyApplication, token: str, db: Database, clock: Clock,
                 serializer: ChatSerializer, lease_seconds: float = 20.0) -> None:
        self.application = application
        self.inbox = Inbox(db, clock, TRANSPORT, bot_id(token))
        lease = self._lease = timedelta(seconds=lease_seconds)
        self.consumer = InboxConsumer(self.inbox, self._process, clock=clock,
                                      run=serializer.run, lease=lease, beat=lease / 4)
        self._clock = clock
        # The webhook route has parsed each update it records to check it; when this
        # process also claims it (usually: the route wakes this consumer), that parse is
        # reused instead of parsing the stored copy again. Bounded: an update claimed
        # elsewhere is simply forgotten here later.
        self._parsed: OrderedDict[int, Update] = OrderedDict()

    async def record(self, *updates: Incoming, parsed: Update | None = None) -> int:
        """Commit new updates (redeliveries are dropped) and see them processed: one
        update (a webhook's) is taken by this process as it is recorded when it has a
        free place (held meanwhile) and the chat is free; otherwise the consumer is
        woken."""
        with self.consumer.place() as room:
            claimed: Claimed | None = None
            if len(updates) == 1 and room:
                new, claimed = await self.inbox.record_and_claim(
                    updates[0], self.consumer.owner, self._lease)
            else:  # a process that does not consume (serve --role web), or has no room
                # now, tells the ones that do
                new = await self.inbox.record(*updates, notify=not room)
            if new:
                self._keep(parsed)
            if claimed is not None:
                if not self.consumer.adopt(claimed):  # we stopped meanwhile: give it back
                    await self.inbox.later(claimed.id, claimed.token, timedelta(0))
            elif new:
                # Not taken here (a batch, a busy chat): the consumer looks. For a busy
                # chat the finish of the update ahead looks too, but that look may fall
                # just before this commit (the update ahead was claimed and done within it).
                self.consumer.wake()
        return new

    def _keep(self, parsed: Update | None) -> None:
        if parsed is not None:
            self._parsed[parsed.update_id] = parsed
            while len(self._parsed) > PARSED_KEPT:
                self._parsed.popitem(last=False)

    async def _process(self, row: Claimed) -> None:
        update = self._parsed.pop(row.update_id, None)
        if update is None:
            update = Update.de_json(row.payload, self.application.bot)
        await self.application.process_update(update)

    @asynccontextmanager
    async def consuming(self) -> AsyncIterator[None]:
        """Process the inbox (what earlier runs left first) until the block ends."""
        self.consumer.start()
        try:
            yield
        finally:
            await self.consumer.stop(STOP_GRACE)

    async def poll(self, long_poll: float) -> None:
        """getUpdates forever; each batch is committed before its offset moves on."""
        bot = self.application.bot
        offset: int | None = None
        failures = 0
        while True:
            try:
                updates = await bot.get_updates(offset=offset, timeout=timedelta(seconds=long_poll))
                await self.record(*(self._polled(u) for u in updates))
            except asyncio.CancelledError:
                raise
            except InvalidToken:
                log.error("telegram refused the bot token; polling stops")
                return
            except RetryAfter as exc:
                wait = exc.retry_after
                await self._clock.sleep(wait.total_seconds() if isinstance(wait, timedelta)
                                        else float(wait))
                continue
            except Exception as exc:  # Telegram or the database unreachable: try again
                delay = POLL_BACKOFF.delay(failures, _jitter)
                failures += 1
                log.warning("polling failed (%s); retrying in %.1f s", type(exc).__name__,
                            delay, exc_info=not isinstance(exc, TelegramError))
                await self._clock.sleep(delay)
                continue
            failures = 0
            if updates:
                offset = updates[-1].update_id + 1

    def _polled(self, update: Update) -> Incoming:
        key = chat_key(update)
        return Incoming(update.update_id, None if key is None else key[1], update.to_dict())

