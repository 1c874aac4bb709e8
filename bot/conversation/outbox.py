"""Replies held until the unit of work commits: no transaction across a chat API call.

A flow's replies used to go out while its transaction was open, so every Bot API round
trip (50-150 ms to Telegram) held SQLite's write lock or a pooled PostgreSQL connection.
Now `FlowContext.reply` hands replies to this outbox, and the dispatcher delivers them,
in order, once the unit of work has committed. What the creator sees is then always
what was saved: a flow that fails after replying rolls back and its held replies are
dropped, so the chat shows the error and nothing that did not happen.

Some replies cannot wait: progress on a slow step, a message whose id a button needs,
the edit of a message already shown. Those go out at a checkpoint: the work so far is
committed, what is held is delivered, and then the call is made, so a network call
still never runs inside a transaction. Editing a reply that is still held just changes
what will be sent (a progress line overtaken by its result is never sent at all).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.replies import Channel, MessageRef, Reply, check_layout
from core.clock import Clock
from core.retry import GIVE_UP, Backoff, RetryPolicy, Verdict, retry

log = logging.getLogger(__name__)

HELD = "held"  # MessageRef.extra key of a reply not sent yet (its place in the outbox)
# A chat platform that failed for a moment (a 502, a timeout, a 429) is tried again:
# the state the reply describes is already committed, so giving up loses the reply.
# No time budget: a send may rightly wait long for room in the outbound limits
# (core.outbound waits up to its max_wait), and cutting it would lose the reply.
DELIVERY = RetryPolicy(max_attempts=4, backoff=Backoff(base=0.5, cap=8.0))
T = TypeVar("T")


def _never(_: Exception) -> Verdict:
    return GIVE_UP


@dataclass
class _Held:
    reply: Reply
    sent: MessageRef | None = None


class ReplyOutbox:
    """One unit of work's replies to one chat."""

    def __init__(self, channel: Channel, session: AsyncSession, clock: Clock) -> None:
        self.channel = channel
        self.session = session
        self._clock = clock
        # `delivery_verdict(error)`: which failures of this transport are worth a retry
        # (a channel without one, such as the terminal, never fails for a moment)
        self._classify: Callable[[Exception], Verdict] = getattr(
            channel, "delivery_verdict", _never)
        self._held: list[_Held] = []
        self._next = 0  # the first held reply not delivered yet
        self.committed = False  # a checkpoint made some of the work final
        self.undelivered: list[Exception] = []  # replies the platform never took

    async def send(self, reply: Reply, *, now: bool = False) -> MessageRef:
        """Hold `reply` until the commit; `now`: commit and deliver first, then send it
        (for a message whose id is needed at once)."""
        check_layout(reply.buttons)  # a flow's bug, caught while its work can roll back
        if now:
            await self.checkpoint()
            return await self._retried(partial(self.channel.send, reply))
        self._held.append(_Held(reply))
        return MessageRef(chat_id="", message_id="", extra={HELD: len(self._held) - 1})

    async def edit(self, ref: MessageRef, reply: Reply) -> MessageRef:
        """Change a held reply in place, or edit a sent message after a checkpoint."""
        index = ref.extra.get(HELD)
        if isinstance(index, int):
            held = self._held[index]
            if held.sent is None:  # not out yet: send the newer words instead
                held.reply = Reply(reply.text, reply.buttons, held.reply.attachment)
                return ref
            ref = held.sent
        await self.checkpoint()
        return await self._retried(partial(self.channel.edit, ref, reply))

    async def checkpoint(self) -> None:
        """Commit the work so far, then deliver what is held (see the module docstring)."""
        await self.session.commit()
        self.committed = True
        await self.deliver()

    async def deliver(self) -> None:
        """Send the held replies in order; the caller has committed. A reply the
        platform will not take (after the retries) is noted in `undelivered` and the
        rest still go out: the work they describe is done, so an error would mislead."""
        while self._next < len(self._held):
            held = self._held[self._next]
            self._next += 1
            try:
                held.sent = await self._retried(partial(self.channel.send, held.reply))
            except Exception as exc:
                log.warning("a reply could not be delivered (%s)", type(exc).__name__)
                self.undelivered.append(exc)

    async def _retried(self, call: Callable[[], Awaitable[T]]) -> T:
        return await retry(lambda _: call(), policy=DELIVERY, classify=self._classify,
                           clock=self._clock)
