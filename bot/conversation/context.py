"""What a flow handler gets: the core, this update's session, the user, the state and
a way to talk back (through the unit of work's `ReplyOutbox`: replies go out after the
commit). One `FlowContext` per inbound event."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.events import FileRef, Inbound
from bot.conversation.outbox import ReplyOutbox
from bot.conversation.payloads import PayloadCodec
from bot.conversation.replies import (
    FLOW_LIMITS,
    Attachment,
    Button,
    Channel,
    Keyboard,
    MessageRef,
    Reply,
    paginate,
)
from bot.conversation.state import StateStore
from core.bootstrap import Core
from core.db.models import ConversationState, User
from core.texts import common as t


class ButtonExpired(Exception):
    """A button from an older step or a tampered payload; the user is told kindly."""


def page_of(args: tuple[str, ...], index: int) -> int:
    """The page number a Prev/Next button carries at `args[index]` (0 when absent)."""
    arg = args[index] if len(args) > index else ""
    return int(arg) if arg.isdigit() and len(arg) < 4 else 0


@dataclass
class FlowContext:
    core: Core
    session: AsyncSession
    user: User
    event: Inbound
    channel: Channel
    codec: PayloadCodec
    store: StateStore
    row: ConversationState
    flow_name: str
    outbox: ReplyOutbox
    user_created: bool = False

    # -- state -------------------------------------------------------------------
    @property
    def step(self) -> str | None:
        return self.row.step if self.row.flow == self.flow_name else None

    @property
    def data(self) -> dict[str, Any]:
        """A copy of this flow's data; write back with `goto`/`update`."""
        return copy.deepcopy(self.row.data) if self.row.flow == self.flow_name else {}

    def goto(self, step: str, **data: Any) -> None:
        """Enter `step` of this flow, merging `data` into what the flow already holds."""
        self.store.set(self.row, self.flow_name, step, {**self.data, **data})

    def update(self, **data: Any) -> None:
        self.store.set(self.row, self.flow_name, self.step, {**self.data, **data})

    def handed_over(self, from_flow: str) -> dict[str, Any]:
        """The data of `from_flow` when the user pressed this flow's button from inside it.

        That is how one flow hands work to another (a captioned photo to /post) without
        either importing the other; read it before `goto`/`finish` replace it.
        """
        return copy.deepcopy(self.row.data) if self.row.flow == from_flow else {}

    def forget(self, *keys: str) -> None:
        """Drop `keys` from this flow's data (a marker such as "which item is being fixed")."""
        data = {k: v for k, v in self.data.items() if k not in keys}
        self.store.set(self.row, self.flow_name, self.step, data)

    async def checkpoint(self) -> None:
        """Commit everything so far (flow state and what the services wrote), then send
        the replies held until now.

        For handlers with irreversible side effects in several steps (posting to one
        subreddit after another): a later failure then rolls back only to here, not
        the work that already happened. It is the same session, committed early; the
        dispatcher still commits the rest at the end. Like that final commit, this
        raises `StaleDataError` when another update for this conversation committed
        first, before any side effect that follows it can happen. Before a slow step
        (a provider call, a download) it is also what shows the progress line.
        """
        await self.outbox.checkpoint()

    def finish(self) -> None:
        """Leave the flow; the next free text is not routed to it any more."""
        self.store.set(self.row, None, None, {})

    def require_step(self, *steps: str) -> None:
        """Guard for button handlers: a press from an earlier step has expired."""
        if self.step not in steps:
            raise ButtonExpired

    def charge_key(self, kind: str) -> str | None:
        """The idempotency key of a `kind` charge this event makes, from the platform's
        event id, so an update run again (its process died before the inbox marked it
        done) charges once; None where the platform gives no id (the caller's own key)."""
        event_id = self.event.event_id
        return f"{kind}:{self.user.id}:{event_id}" if event_id else None

    @property
    def nsfw_ok(self) -> bool:
        """Adult features for this event: a confirmed adult who turned them on, in a place
        that allows them (not a shared channel without an age restriction)."""
        return bool(self.user.may_see_nsfw) and self.event.adult_place

    # -- talking back -------------------------------------------------------------
    @property
    def owner(self) -> str:
        return f"{self.event.sender.transport}:{self.event.sender.external_id}"

    def button(self, label: str, action: str, *args: str, flow: str | None = None) -> Button:
        """A signed callback button that will come back to this (or `flow`'s) handler."""
        payload = self.codec.encode(self.owner, flow or self.flow_name, action, *args)
        return Button(label=label, payload=payload)

    def paged(self, rows: Keyboard, page: int, action: str, *args: str,
              keep: int = 0) -> Keyboard:
        """Page `page` of `rows` plus a Prev/Next row, leaving `keep` rows free for the
        caller's own buttons. A Prev/Next press comes back as `action` with `args` and
        the page number last, so the handler redraws the same list at that page."""
        shown = paginate(rows, page, FLOW_LIMITS.max_rows - keep)
        nav = []
        if shown.has_prev:
            nav.append(self.button(t.PREV_PAGE, action, *args, str(shown.number - 1)))
        if shown.has_next:
            nav.append(self.button(t.NEXT_PAGE.format(page=shown.number + 2, pages=shown.count),
                                   action, *args, str(shown.number + 1)))
        return [*shown.items, nav] if nav else list(shown.items)

    async def reply(
        self,
        text: str,
        buttons: Keyboard | None = None,
        attachment: Attachment | None = None,
        *,
        now: bool = False,
    ) -> MessageRef:
        """Send after the commit (`ReplyOutbox`); `now=True` when the message's id is
        needed at once (the work so far is committed first)."""
        return await self.outbox.send(Reply(text, buttons or [], attachment), now=now)

    async def edit(
        self, ref: MessageRef, text: str, buttons: Keyboard | None = None
    ) -> MessageRef:
        return await self.outbox.edit(ref, Reply(text, buttons or []))

    async def download(self, file: FileRef, max_bytes: int | None = None) -> bytes:
        """The file's bytes from the chat platform (up to the upload limit).

        Commits first: a transfer of up to 20 MB must not hold a transaction (SQLite's
        write lock, a pooled PostgreSQL connection). Download before changing state, so
        a failed transfer leaves the step as it was.
        """
        limit = max_bytes or self.core.settings.limits.max_upload_bytes
        await self.checkpoint()
        return await self.channel.download(file, limit)
