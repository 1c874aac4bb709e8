"""core.support: tickets, answers, the team's view of a creator, and who may answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.errors import UserFacingError
from core.events import EventKind
from core.posting.models import OutboxMessage
from core.posting.outbox import Outbox
from core.support import Support, team_chats
from core.users import Who

ADMINS = [7, 9]


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, admin={"telegram_ids": ADMINS})


async def creator(core, session, transport="console", external="alice"):
    user, _ = await core.users.get_or_create(session, Who(transport, external, "Alice"))
    return user


def test_without_a_support_chat_each_admin_gets_the_messages(settings):
    assert team_chats(settings) == ["7", "9"]
    settings.admin.support_chat_id = -100
    assert team_chats(settings) == ["-100"]


async def test_a_message_queues_one_team_notice_per_team_chat(core):
    async with core.db.session() as session:
        ticket = await Support(core.settings, core.clock).write(
            session, await creator(core, session), "console", "alice", "Hello team")
    async with core.db.read() as session:
        rows = (await session.execute(select(OutboxMessage.kind, OutboxMessage.payload))).all()
    assert sorted(payload["chat"] for kind, payload in rows if kind == "team_support") \
        == ["7", "9"]
    assert all(payload["ticket"] == ticket for _, payload in rows)


async def test_an_empty_message_is_refused(core):
    async with core.db.session() as session:
        with pytest.raises(UserFacingError) as refused:
            await Support(core.settings, core.clock).write(
                session, await creator(core, session), "console", "alice", "  \n ")
    assert refused.value.code == "support_empty"


async def test_the_team_sees_recent_trouble_and_linked_transports(core):
    support = Support(core.settings, core.clock)
    async with core.db.session() as session:
        user = await creator(core, session, "telegram", "42")
        await core.events.record(session, EventKind.POST_FAILED, user.id,
                                 reason="reddit_banned")
        await support.write(session, user, "telegram", "42", "Why did it fail?")
    async with core.db.read() as session:
        message_id = await session.scalar(select(OutboxMessage.payload["message"].as_integer()))
        assert message_id is not None
        context = await support.context(session, message_id)
    assert context is not None
    assert context.transports == ("telegram",)
    assert context.recent_trouble == ("reddit.post_failed: reddit_banned",)


async def test_an_admin_linked_through_another_transport_may_answer(core):
    support = Support(core.settings, core.clock)
    async with core.db.session() as session:
        ticket = await support.write(session, await creator(core, session), "console",
                                     "alice", "Hi")
        admin = await creator(core, session, "telegram", "9")
        answer = await support.answer(session, admin, ticket, "Hello Alice")
    assert answer.ticket_id == ticket


async def test_an_answer_to_an_unknown_ticket_says_so(core):
    async with core.db.session() as session:
        admin = await creator(core, session, "telegram", "7")
        with pytest.raises(UserFacingError) as refused:
            await Support(core.settings, core.clock).answer(session, admin, 404, "Hi")
    assert refused.value.code == "support_no_ticket"
    assert refused.value.params == {"ticket": 404}


async def test_the_answer_goes_first_to_the_transport_the_creator_wrote_from(core):
    """Alice is on Telegram and Discord and wrote from Discord: Discord is tried first."""
    support = Support(core.settings, core.clock)
    async with core.db.session() as session:
        alice = await creator(core, session, "telegram", "42")
        alice.notify_via = "telegram"
        ticket = await support.write(session, alice, "discord", "555", "Hi")
        admin = await creator(core, session, "telegram", "7")
        await support.answer(session, admin, ticket, "Hello")
    tried: list[str] = []

    class Transport:
        def __init__(self, name: str) -> None:
            self.name = name

        async def deliver(self, notice) -> bool:
            tried.append(self.name)
            return True

    outbox = Outbox(core.db, core.clock, timedelta(seconds=15))
    assert await outbox.deliver_due([Transport("telegram"), Transport("discord")]) == 1
    assert tried == ["discord"]  # and never a team notice to a creator's transport
