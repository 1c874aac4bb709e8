"""The dispatcher's central error handler tracks what it catches (fingerprint, count,
context) while the user still gets the catalogue's apology; every update is timed and
the events it records carry the chat as their origin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.console import TRANSPORT
from bot.conversation.context import FlowContext
from bot.conversation.dispatcher import Dispatcher
from bot.conversation.events import Command
from bot.conversation.flow import Flow
from bot.flows import build_flows
from core.db.models import Event
from core.events import EventKind, chat_session
from core.texts import errors
from tests.fakes.chat import ChatDriver


class Buggy(Flow):
    name = "buggy"
    commands = ("buggy",)

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.core.events.feature_used("buggy", ctx.user.id)
        await ctx.core.events.record(ctx.session, EventKind.FEATURE_USED, ctx.user.id,
                                     feature="recorded")
        if cmd.args:
            raise LookupError("no such thing")
        await ctx.reply("fine")


@pytest.fixture
def chat(dispatcher: Dispatcher) -> ChatDriver:
    return ChatDriver(Dispatcher(dispatcher.core, [*build_flows(), Buggy()], dispatcher.codec))


async def test_an_error_in_a_flow_is_tracked_and_the_user_gets_the_apology(chat):
    for _ in range(2):
        reply = await chat.send("/buggy now")
        assert reply.text == errors.GENERIC
    core = chat.chat.dispatcher.core
    async with core.db.read() as session:
        (tracked,) = await core.analytics.errors.recent(session)
    assert (tracked.where, tracked.error_type, tracked.count) == ("bot", "LookupError", 2)
    assert tracked.context == {"transport": "console", "event": "Command"}


async def test_every_update_is_timed_per_transport_and_kind(chat):
    await chat.send("/buggy")
    body = chat.chat.dispatcher.core.analytics.metrics.render()[0].decode()
    assert 'thottopilot_bot_update_seconds_count{event="Command",transport="console"} 1.0' \
        in body


async def test_events_of_an_update_carry_its_transport_and_chat_session(chat):
    await chat.send("/buggy")
    core = chat.chat.dispatcher.core
    await core.events.writer.flush_all()
    async with core.db.read() as session:
        rows = (await session.execute(
            select(Event.data, Event.transport, Event.session_id)
            .where(Event.kind == EventKind.FEATURE_USED).order_by(Event.id))).all()
    expected = chat_session("console", TRANSPORT)  # the terminal is one chat
    assert [(d["feature"], t, s) for d, t, s in rows] == [
        ("recorded", "console", expected), ("buggy", "console", expected)]
