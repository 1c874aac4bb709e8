"""A flow's replies and the unit of work (bot.conversation.outbox): no database
connection is held while a reply goes out, what the creator sees is what was saved,
and a progress line overtaken by its result is never sent."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from bot.console import ConsoleChannel
from bot.conversation.context import FlowContext
from bot.conversation.dispatcher import Dispatcher
from bot.conversation.events import Command
from bot.conversation.flow import Flow
from bot.conversation.replies import MessageRef, Reply
from bot.flows import build_flows
from core.bootstrap import Core
from core.db.models import ConversationState
from core.inbox.retry import retry_slot
from core.texts import common
from tests.fakes.chat import ChatDriver


class Watching(ConsoleChannel):
    """The terminal, noting how many pooled connections were in use at each call."""

    def __init__(self, core: Core, fail_on: str | None = None) -> None:
        super().__init__(out=lambda _line: None)
        self.core, self.fail_on = core, fail_on
        self.in_use: list[int] = []

    def _look(self) -> None:
        self.in_use.append(self.core.db.engine.pool.checkedout())  # type: ignore[attr-defined]

    async def send(self, reply: Reply) -> MessageRef:
        self._look()
        if self.fail_on and reply.text.startswith(self.fail_on):
            raise RuntimeError("the chat platform refused this message")
        return await super().send(reply)

    async def edit(self, ref: MessageRef, reply: Reply) -> MessageRef:
        self._look()
        return await super().edit(ref, reply)


@pytest.fixture
def watching(core: Core) -> Watching:
    return Watching(core)


async def test_no_database_connection_is_held_while_replies_go_out(
        dispatcher: Dispatcher, watching: Watching) -> None:
    chat = ChatDriver(dispatcher, channel=watching)
    await chat.send("/start")
    await chat.press("SFW")
    await chat.send("/caption red dress, rooftop at sunset")
    await chat.press("Write captions")  # progress edits, then the options
    assert len(watching.in_use) >= 5
    assert set(watching.in_use) == {0}


class Fragile(Flow):
    """/fragile replies, then breaks: before any checkpoint, or (`/fragile late`) after
    one, when its database connection is lost."""

    name = "fragile"
    commands = ("fragile",)

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        await ctx.reply("this line would claim something happened")
        ctx.finish()
        if not cmd.args:
            raise RuntimeError("the flow broke after replying")
        await ctx.checkpoint()  # the line is out and the state is final
        raise DBAPIError("UPDATE ...", {}, ConnectionError("server closed the connection"),
                         connection_invalidated=True)


@pytest.fixture
def fragile(dispatcher: Dispatcher) -> ChatDriver:
    return ChatDriver(Dispatcher(dispatcher.core, [*build_flows(), Fragile()],
                                 dispatcher.codec))


async def test_replies_of_a_flow_that_fails_are_never_sent(fragile: ChatDriver) -> None:
    """A flow that breaks after replying is rolled back, and so is its reply: the
    creator hears only the apology, never words about something that did not happen."""
    await fragile.send("/start")
    await fragile.send("/fragile")
    assert fragile.texts[-1] == common.SOMETHING_WENT_WRONG
    assert "this line would claim something happened" not in fragile.texts


async def test_a_connection_lost_after_a_checkpoint_is_not_retried(
        fragile: ChatDriver) -> None:
    """Retrying would repeat what already went out (and any charge made since): the
    update is answered once, with the apology, and not handed back to the inbox."""
    await fragile.send("/start")
    with retry_slot() as retry:
        await fragile.send("/fragile late")
    assert fragile.texts[-2:] == ["this line would claim something happened",
                                  common.SOMETHING_WENT_WRONG]
    assert not retry.asked


async def test_a_progress_line_overtaken_before_it_went_out_is_not_sent(
        dispatcher: Dispatcher, core: Core, watching: Watching) -> None:
    chat = ChatDriver(dispatcher, channel=watching)
    await chat.send("/start")
    await chat.press("SFW")
    await chat.send("/caption red dress, rooftop at sunset")
    await chat.send("r/teenagers")
    sent_before = len(chat.replies)
    reply = await chat.press("Write captions")
    assert len(chat.replies) == sent_before + 1  # one message: the refusal itself
    assert reply.edits == []
    async with core.db.read() as session:
        flow = (await session.scalars(select(ConversationState.flow))).one()
    assert flow == "caption"  # still there to fix the description
