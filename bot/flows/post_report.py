"""Telling the creator, in the chat they are watching, how a "Post now" run went.

The engine writes a notice (core.posting.outbox) with every outcome, for creators who
are not watching. While they are, this chat delivers those same notices itself, as
one more `Deliverer`, through the outbox's own claim: a notice is said once, here or
by a background transport, never both, and one this chat fails to show (a chat rate
limit) stays in the outbox for the delivery loop instead of being lost.

Outcomes that carry no new notice (a target still running on a worker, a retry held
back until an uncertain earlier try has settled) get a line of their own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from bot.conversation.context import FlowContext
from bot.flows import next_steps as nxt
from bot.flows.post_zone import shown
from core.posting.models import OutboxMessage, PostTarget, State
from core.posting.outbox import Notice, Outbox
from core.texts import reddit as t
from core.texts import schedule as ts

log = logging.getLogger(__name__)


@dataclass
class ChatDeliverer:
    """Delivers notices into the chat of the current update."""

    ctx: FlowContext
    name: str = "chat"
    told: set[int] = field(default_factory=set)  # target ids something was said about
    paused: bool = False

    async def deliver(self, notice: Notice) -> bool:
        # Live: what next, as buttons (the words stay the live link alone).
        rows = nxt.buttons(self.ctx, nxt.QUEUE, nxt.POST) if notice.kind == "post_live" else []
        # now, not after the run: True tells the notice outbox it was delivered (a
        # failure is retried by the outbox, durably), and the creator is watching
        await self.ctx.reply(ts.notice_text(notice.kind, notice.payload, in_chat=True), rows,
                             now=True)
        target = notice.payload.get("target_id")
        if isinstance(target, int):
            self.told.add(target)
        if notice.kind == "post_paused":
            self.paused = True
        if notice.payload.get("comment_error"):
            await _tell(self.ctx, t.COMMENT_FAILED.format(reason=t.error(
                str(notice.payload["comment_error"]),
                {"subreddit": notice.payload.get("subreddit")})))
        return True


@dataclass(frozen=True)
class Outcome:
    target_id: int
    subreddit: str
    state: str
    due_at: datetime
    permalink: str | None
    error: str | None
    waiting: bool  # queued and due: Reddit trouble, a pause or a settle wait


async def report(ctx: FlowContext, target_ids: list[int], account_id: int
                 ) -> dict[int, Outcome]:
    """Deliver this run's notices here, add a line for outcomes without one, and
    return every target's outcome."""
    core = ctx.core
    chat = ChatDeliverer(ctx)
    if target_ids:
        lease = timedelta(seconds=core.settings.posting.lease_seconds)
        mine = or_(*[OutboxMessage.event_key.like(f"target:{tid}:%") for tid in target_ids],
                   OutboxMessage.event_key.like(f"pause:{account_id}:%"))
        only = (OutboxMessage.user_id == ctx.user.id) & mine
        outbox = Outbox(core.db, core.clock, lease)
        while await outbox.deliver_due([chat], limit=50, only=only) == 50:
            pass
    outcomes = await outcomes_of(ctx, target_ids)
    now = core.clock.now()
    for outcome in outcomes.values():
        if outcome.target_id in chat.told or outcome.state in (State.POSTED, State.CANCELLED):
            continue
        if outcome.state == State.RUNNING:
            await _tell(ctx, ts.ON_ITS_WAY.format(sub=outcome.subreddit))
        elif outcome.state == State.QUEUED and not outcome.waiting:
            await _tell(ctx, ts.LATER_LINE.format(sub=outcome.subreddit,
                                                  when=shown(ctx, outcome.due_at)))
        elif outcome.state == State.QUEUED and chat.paused:
            continue  # the pause notice said it for the whole account
        elif outcome.state == State.QUEUED:
            row_wait = await _not_before(ctx, outcome.target_id)
            if row_wait is not None and row_wait > now and outcome.error != "reddit_ratelimit":
                await _tell(ctx, ts.LOOK_FIRST.format(sub=outcome.subreddit,
                                                      when=shown(ctx, row_wait)))
            else:
                await _tell(ctx, t.POST_FAILED.format(sub=outcome.subreddit, reason=t.error(
                    outcome.error or "reddit_unavailable", {"subreddit": outcome.subreddit})))
        elif outcome.state == State.FAILED:
            await _tell(ctx, t.POST_FAILED.format(sub=outcome.subreddit, reason=t.error(
                outcome.error or "reddit_rejected", {"subreddit": outcome.subreddit})))
    return outcomes


async def outcomes_of(ctx: FlowContext, target_ids: list[int]) -> dict[int, Outcome]:
    now = ctx.core.clock.now()
    async with ctx.core.db.read() as session:
        rows = await session.scalars(select(PostTarget).where(PostTarget.id.in_(target_ids)))
        return {r.id: Outcome(r.id, r.subreddit, r.state, r.due_at, r.permalink, r.error,
                              r.state == State.QUEUED
                              and (r.due_at <= now or r.error is not None))
                for r in rows}


async def _not_before(ctx: FlowContext, target_id: int) -> datetime | None:
    async with ctx.core.db.read() as session:
        row = await session.get(PostTarget, target_id)
        return row.not_before if row is not None and row.attempted_at is not None else None


async def _tell(ctx: FlowContext, text: str) -> None:
    """A line while posting (sent at once); one that can't be delivered must not stop
    the run. The commit before it is outside the `try`: a database error must not
    pass as a lost line."""
    await ctx.checkpoint()
    try:
        await ctx.reply(text, now=True)
    except Exception:
        log.warning("could not deliver a posting report", exc_info=True)
