"""Routes inbound events to flows inside one unit of work, with one error handler.

Order of business for every event: open a session, find or create the user, load the
conversation row, hand the event to the right flow, commit. Any failure rolls the
session back (so state never half-advances) and the user gets a friendly message.

Updates of one conversation may be handled at the same time (Telegram adapter with
concurrent updates, several processes). The conversation row is optimistically locked
(`ConversationState.version`): the first update to commit wins and a concurrent one
that changed the state fails its commit with `StaleDataError` and is rolled back. For
a button press that is almost always a double tap of the same button, already handled
by the winner, so it is dropped silently; a concurrent text, command or upload is a
different message the user meant, so they are asked to send it again. On SQLite,
writers are serialised by the database lock instead (`BEGIN IMMEDIATE`); an update
that waited longer than the busy timeout gets "database is locked", answered the same
way. When every pooled connection is in use (SQLAlchemy's TimeoutError at checkout),
an update that came through an inbox is handed back to it for another try a moment
later (core.inbox.retry) and the user is told so on its first retry only; once its
retries are spent it fails like any error (tracked, the generic apology); elsewhere
they are asked to send it again. Flows with irreversible work (posting) commit a claim
first (`ctx.checkpoint()`), so a loser fails before doing anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.events import (
    ButtonPress,
    Command,
    Inbound,
    PaymentCheck,
    PaymentDone,
    Press,
    Text,
    Upload,
    cleaned,
)
from bot.conversation.flow import Flow
from bot.conversation.outbox import ReplyOutbox
from bot.conversation.payloads import PayloadCodec
from bot.conversation.replies import Channel, FileTooLarge, Reply
from bot.conversation.state import StateStore
from core.billing.errors import LimitReached, QuotaExceeded
from core.bootstrap import Core
from core.db.models import ConversationState, User
from core.errors import UserFacingError
from core.events import chat_session, origin
from core.experiments.config import UPGRADE_PROMPT
from core.inbox import Asked, ask_retry
from core.texts import billing as billing_texts
from core.texts import common as t

log = logging.getLogger(__name__)

CANCEL = "cancel"
START = "start"  # button action that starts a flow like its command
INBOX = "inbox"  # the flow that takes files sent outside any flow
PAYMENTS = "billing"  # the flow that takes payment events (`TakesPayments`)
REPLIES = "support_desk"  # the flow offered replies to a message first (`TakesReplies`)


@runtime_checkable
class TakesPayments(Protocol):
    """A flow that answers payment checks and applies payments."""

    async def on_payment(self, ctx: FlowContext, event: PaymentCheck | PaymentDone) -> None:
        ...


@runtime_checkable
class TakesReplies(Protocol):
    """A flow that may take a reply to one of the bot's messages, whatever flow the
    chat is in (an admin answering a support ticket); False: not its, route as usual."""

    async def on_reply(self, ctx: FlowContext, event: Text) -> bool:
        ...


class PartlyDone(Exception):
    """The database failed after a flow's checkpoint: not retried (see `_handle`)."""


class Dispatcher:
    def __init__(self, core: Core, flows: Iterable[Flow], codec: PayloadCodec) -> None:
        self.core = core
        self.codec = codec
        self.store = StateStore(core.clock)
        self.flows: dict[str, Flow] = {}
        self.commands: dict[str, Flow] = {}
        for flow in flows:
            self.flows[flow.name] = flow
            for command in flow.commands:
                self.commands[command] = flow

    async def handle(self, event: Inbound, channel: Channel) -> None:
        """Process one event; never raises. Its events carry the chat as their origin;
        the time to handle it (the reply included) is measured (core.analytics)."""
        started = self.core.clock.monotonic()
        with origin(channel.transport, chat_session(channel.transport, event.chat_id)):
            await self._handle_caught(event, channel)
        self.core.analytics.metrics.observe_update(
            channel.transport, type(event).__name__, self.core.clock.monotonic() - started)

    async def _handle_caught(self, event: Inbound, channel: Channel) -> None:
        """The central error handler."""
        try:
            await self._handle(cleaned(event), channel)
        except ButtonExpired:
            await self._say(channel, t.BUTTON_EXPIRED)
        except FileTooLarge as exc:
            await self._say(channel, t.file_too_large(exc.limit))
        except (QuotaExceeded, LimitReached) as exc:
            await self._say(channel, await self._upgrade_prompt(event, exc))
        except UserFacingError as exc:
            await self._say(channel, t.render_error(exc))
        except StaleDataError:
            log.info("concurrent update of one conversation; %s dropped", type(event).__name__)
            if not isinstance(event, ButtonPress):
                await self._say(channel, t.BUSY)
        except PartlyDone as exc:
            log.warning("database failed after a checkpoint; %s not retried",
                        type(event).__name__, exc_info=exc.__cause__)
            await self._track(exc, event, channel)
            await self._say(channel, t.SOMETHING_WENT_WRONG)
        except PoolTimeout as exc:
            # every database connection is in use: the update could not even start
            await self._again(exc, event, channel, "database pool exhausted")
        except DBAPIError as exc:
            if exc.connection_invalidated:
                # the server dropped a pooled connection (restart, failover): the pool is
                # recycled, and the update is tried again on a fresh one
                await self._again(exc, event, channel, "database connection lost")
            elif isinstance(exc, OperationalError) and _database_locked(exc):
                log.warning("database busy; %s dropped", type(event).__name__)
                await self._say(channel, t.BUSY)
            else:
                log.exception("database error for %s event", type(event).__name__)
                await self._track(exc, event, channel)
                await self._say(channel, t.SOMETHING_WENT_WRONG)
        except Exception as exc:
            log.exception("unhandled error for %s event", type(event).__name__)
            await self._track(exc, event, channel)
            await self._say(channel, t.SOMETHING_WENT_WRONG)

    async def _again(self, exc: Exception, event: Inbound, channel: Channel, why: str
                     ) -> None:
        """The update could not run for a reason about now, not about it: the inbox
        tries it again shortly (the person is told once, on its first retry); without an
        inbox the person is asked to resend; once its retries are spent it fails."""
        asked = ask_retry()
        if asked.retried:
            log.warning("%s; %s retried later", why, type(event).__name__)
            if asked is Asked.FIRST:
                await self._say(channel, t.BUSY_RETRYING)
        elif asked is Asked.SPENT:
            log.error("%s; %s failed, its retries spent", why, type(event).__name__,
                      exc_info=exc)
            await self._track(exc, event, channel)
            await self._say(channel, t.SOMETHING_WENT_WRONG)
        else:
            log.warning("%s; %s dropped", why, type(event).__name__)
            await self._say(channel, t.BUSY)

    async def _upgrade_prompt(self, event: Inbound, exc: QuotaExceeded | LimitReached
                              ) -> str:
        """A limit hit in any flow: the upgrade prompt (which limit, which plan lifts it)
        in the creator's variant of the wording experiment, the exposure stored once.
        The flow's unit of work is gone, so this is one more; failing it costs only the
        exposure (the control's words are shown)."""
        if not exc.upgrade:
            return billing_texts.quota_text(exc.params)
        try:
            async with self.core.db.session() as session:
                user, _ = await self.core.users.get_or_create(session, event.sender)
                variant = await self.core.billing.experiments.expose(
                    session, user.id, UPGRADE_PROMPT)
        except Exception:
            log.warning("upgrade prompt exposure not recorded", exc_info=True)
            variant = "control"
        return billing_texts.quota_text(exc.params, variant)

    async def _track(self, exc: Exception, event: Inbound, channel: Channel) -> None:
        await self.core.analytics.errors.capture(exc, "bot", transport=channel.transport,
                                                 event=type(event).__name__)

    async def resume(self, event: Inbound, channel: Channel) -> bool:
        """Re-show the step a user was on (e.g. after a restart); False if none."""
        event = cleaned(event)
        async with self.core.db.session() as session:
            outbox = ReplyOutbox(channel, session, self.core.clock)
            try:
                user, _ = await self.core.users.get_or_create(session, event.sender)
            except UserFacingError:  # an account pending deletion: nothing to resume
                return False
            row = await self.store.load(session, channel.transport, event.chat_id, user.id)
            flow = self.flows.get(row.flow or "")
            if flow is None:
                return False
            ctx = self._ctx(outbox, user, event, row, flow.name, created=False)
            await ctx.reply(t.WELCOME_BACK)
            await flow.prompt(ctx)
        await outbox.deliver()
        return True

    async def _handle(self, event: Inbound, channel: Channel) -> None:
        """One unit of work; its replies go out once it has committed (`ReplyOutbox`)."""
        if await self._handle_anonymous(event, channel):
            return
        outbox: ReplyOutbox | None = None
        try:
            async with self.core.db.session() as session:
                outbox = ReplyOutbox(channel, session, self.core.clock)
                await self._route(event, outbox)
        except (PoolTimeout, DBAPIError) as exc:
            if outbox is not None and outbox.committed:
                # Part of the work is final and its replies went out: trying the whole
                # update again would repeat them (and any charge made since).
                raise PartlyDone from exc
            raise
        await outbox.deliver()
        for error in outbox.undelivered:  # the work is done; only its words were lost
            await self._track(error, event, channel)

    async def _route(self, event: Inbound, outbox: ReplyOutbox) -> None:
        """Hand `event` to the flow it belongs to (the dispatcher's own answers, such as
        "cancelled", are held in the outbox like a flow's)."""
        session, channel = outbox.session, outbox.channel
        if isinstance(event, PaymentCheck | PaymentDone):
            user, created, row = await self._payer(event, outbox)
        else:
            user, created, row = await self.store.open(
                session, self.core.users, event.sender, channel.transport, event.chat_id)

        def ctx_for(flow: Flow) -> FlowContext:
            return self._ctx(outbox, user, event, row, flow.name, created)

        payments = self.flows.get(PAYMENTS)
        if isinstance(event, PaymentCheck | PaymentDone):
            # Money is never kept waiting by a busy flow, and never ends one.
            if isinstance(payments, TakesPayments):
                await payments.on_payment(ctx_for(payments), event)
            return
        press = (self.codec.decode(_owner(event), event.payload)
                 if isinstance(event, ButtonPress) else None)
        current = self.flows.get(row.flow or "")
        busy = current.busy(ctx_for(current)) if current is not None else None
        if busy and not _addressed_to(press, current):
            # Anything that could replace the state (a command, another flow's or a
            # menu button, free text) waits; the busy flow's own buttons get through.
            await outbox.send(Reply(busy))
            return
        replies = self.flows.get(REPLIES)
        if isinstance(event, Text) and event.reply_to is not None \
                and isinstance(replies, TakesReplies) \
                and await replies.on_reply(ctx_for(replies), event):
            return
        match event:
            case Command(name=name) if name == CANCEL:
                had_flow = row.flow is not None
                self.store.set(row, None, None, {})
                await outbox.send(Reply(t.CANCELLED if had_flow else t.NOTHING_TO_CANCEL))
            case Command(name=name) if name in self.commands:
                flow = self.commands[name]
                await flow.on_command(ctx_for(flow), event)
            case Command():
                await outbox.send(Reply(t.UNKNOWN_COMMAND))
            case ButtonPress():
                if press is None or press.flow not in self.flows:
                    raise ButtonExpired
                flow = self.flows[press.flow]
                if not event.adult_place and flow.adult_only(press):
                    await outbox.send(Reply(t.NSFW_NOT_HERE))
                    return
                if press.action == START and flow.commands:
                    # Menu buttons start a flow exactly as its command would.
                    cmd = Command(event.sender, event.chat_id, name=flow.commands[0])
                    await flow.on_command(ctx_for(flow), cmd)
                else:
                    await flow.on_button(ctx_for(flow), press)
            case Text() if row.flow in self.flows:
                flow = self.flows[row.flow]
                await flow.on_text(ctx_for(flow), event)
            case Upload() if row.flow in self.flows:
                flow = self.flows[row.flow]
                await flow.on_upload(ctx_for(flow), event)
            case Upload() if INBOX in self.flows:
                flow = self.flows[INBOX]
                await flow.on_upload(ctx_for(flow), event)
            case _:
                await outbox.send(Reply(t.NOT_UNDERSTOOD))

    async def _payer(self, event: PaymentCheck | PaymentDone, outbox: ReplyOutbox
                     ) -> tuple[User, bool, ConversationState]:
        """The payer and their chat's state, even when their account is pending deletion:
        money that arrives then (a Stars renewal whose cancellation failed) must reach
        the payments flow to be given back, not stop at "scheduled for deletion"."""
        session, transport = outbox.session, outbox.channel.transport
        try:
            return await self.store.open(session, self.core.users, event.sender, transport,
                                         event.chat_id)
        except UserFacingError as exc:
            if exc.code != "account_pending_deletion":
                raise
            pending = await self.core.users.pending_deletion(session, event.sender)
            if pending is None:
                raise
        now = self.core.clock.now()  # a transient state: nothing of theirs is changed
        return pending, False, ConversationState(transport=transport, chat_id=event.chat_id,
                                                 user_id=pending.id, data={}, updated_at=now)

    async def _handle_anonymous(self, event: Inbound, channel: Channel) -> bool:
        """An event a flow takes without a user (`Flow.anonymous`, e.g. /demo): handled
        with a transient user and state, so nothing about the sender is stored. False
        when the event is not one of those."""
        press, cmd = None, event if isinstance(event, Command) else None
        if cmd is not None:
            flow = self.commands.get(cmd.name)
        elif isinstance(event, ButtonPress):
            press = self.codec.decode(_owner(event), event.payload)
            flow = self.flows.get(press.flow) if press is not None else None
        else:
            return False
        if flow is None or not flow.anonymous(press):
            return False
        async with self.core.db.session() as session:
            outbox = ReplyOutbox(channel, session, self.core.clock)
            now = self.core.clock.now()
            user = User(id=0, tier="free", timezone="UTC", nsfw_enabled=False,
                        created_at=now, updated_at=now)
            row = ConversationState(transport=channel.transport, chat_id=event.chat_id,
                                    user_id=0, data={}, updated_at=now)
            ctx = self._ctx(outbox, user, event, row, flow.name, created=False)
            if cmd is not None:
                await flow.on_command(ctx, cmd)
            elif press is not None:
                await flow.on_button(ctx, press)
        await outbox.deliver()
        return True

    def _ctx(
        self,
        outbox: ReplyOutbox,
        user: User,
        event: Inbound,
        row: ConversationState,
        flow_name: str,
        created: bool,
    ) -> FlowContext:
        return FlowContext(
            core=self.core,
            session=outbox.session,
            user=user,
            event=event,
            channel=outbox.channel,
            outbox=outbox,
            codec=self.codec,
            store=self.store,
            row=row,
            flow_name=flow_name,
            user_created=created,
        )

    async def _say(self, channel: Channel, text: str) -> None:
        try:
            await channel.send(Reply(text))
        except Exception:
            log.exception("could not deliver error message")


def _database_locked(exc: OperationalError) -> bool:
    """SQLite's "database is locked": another writer held the lock past the timeout."""
    return "database is locked" in str(exc.orig)


def _addressed_to(press: Press | None, flow: Flow | None) -> bool:
    """A press of one of `flow`'s own (non-menu) buttons."""
    return (press is not None and flow is not None and press.flow == flow.name
            and press.action != START)


def _owner(event: Inbound) -> str:
    return f"{event.sender.transport}:{event.sender.external_id}"
