"""/export, /deleteaccount and /restore in the chat: the data file, a deletion only after
an explicit confirmation, and the way back while the grace period runs."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.cli.chat import _workers
from core.billing.models import Entitlement
from core.posting.models import PostTarget, State
from core.posting.service import PostingService, TargetSpec
from core.reddit.types import PostRequest
from core.texts import privacy as t
from tests.fakes.creators import chatting_creator


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.fixture
async def alice(chat, core, fake_reddit):
    return await chatting_creator(chat, core, fake_reddit)


@pytest.mark.both_backends
async def test_export_sends_every_table_as_a_json_document(chat, alice):
    user, _ = alice
    reply = await chat.send("/export")
    assert reply.text == t.EXPORT_READY
    attachment = reply.reply.attachment
    assert attachment.mime_type == "application/json"
    assert attachment.filename == "thottopilot-data-2026-11-25.json"
    assert not attachment.as_photo
    data = json.loads(attachment.data)
    assert data["user_id"] == user.id
    assert [a["username"] for a in data["tables"]["reddit_accounts"]] == ["alice"]
    assert "credentials" not in data["tables"]["reddit_accounts"][0]


async def test_a_renewing_card_plan_is_named_before_deleting(chat, core, alice):
    async with core.db.session() as session:
        session.add(Entitlement(user_id=alice[0].id, source="stripe", source_ref="sub_1",
                                tier="pro", status="active", starts_at=core.clock.now(),
                                updated_at=core.clock.now()))
    reply = await chat.send("/deleteaccount")
    assert reply.text.endswith(t.PAID_PLAN_NOTE)


async def test_delete_asks_first_and_keeping_changes_nothing(chat, core, alice):
    reply = await chat.send("/deleteaccount")
    assert reply.text == t.DELETE_ASK.format(days=30)
    assert (await chat.press(t.DELETE_KEEP)).text == t.DELETE_KEPT
    async with core.db.read() as session:
        assert await core.users.get(session, alice[0].id) is not None


@pytest.mark.both_backends
async def test_confirming_deletes_revokes_reddit_and_cancels_queued_posts(
        chat, core, alice, fake_reddit):
    user, account = alice
    [token] = list(fake_reddit.refresh_tokens)
    fake_reddit.add_sub("pics")
    job = await PostingService(core).create_job(
        user_id=user.id, account_id=account.id,
        request=PostRequest("pics", "text", "Hello", body="hi"),
        targets=[TargetSpec("pics", "Hello")], due_at=core.clock.now())
    await chat.send("/deleteaccount")
    reply = await chat.press(t.DELETE_CONFIRM)
    assert reply.text == t.DELETE_DONE.format(date="25 December 2026")
    assert fake_reddit.revoked == [(token, "refresh_token")]
    async with core.db.read() as session:
        assert await core.users.get(session, user.id) is None
        states = list(await session.scalars(select(PostTarget.state).where(
            PostTarget.job_id == job.id)))
    assert states == [State.CANCELLED]


async def test_a_stale_confirm_button_deletes_nothing(chat, core, alice):
    await chat.send("/deleteaccount")
    await chat.send("/cancel")
    await chat.press(t.DELETE_CONFIRM)
    async with core.db.read() as session:
        assert await core.users.get(session, alice[0].id) is not None


@pytest.mark.both_backends
async def test_coming_back_names_the_date_and_restore_keeps_the_account(chat, core, alice):
    await chat.send("/deleteaccount")
    await chat.press(t.DELETE_CONFIRM)
    reply = await chat.send("/start")
    assert reply.text == t.ERRORS["account_pending_deletion"].format(date="25 December 2026")
    assert (await chat.send("/restore")).text == t.RESTORED
    async with core.db.read() as session:
        assert await core.users.get(session, alice[0].id) is not None
    assert (await chat.send("/restore")).text == t.NOTHING_TO_RESTORE


async def test_opening_the_terminal_chat_of_a_deleted_account_names_restore(chat, core, alice):
    await chat.send("/deleteaccount")
    await chat.press(t.DELETE_CONFIRM)
    await chat.chat.open()  # `thottopilot chat`: nothing to resume, /start answers
    assert chat.last.text == t.ERRORS["account_pending_deletion"].format(
        date="25 December 2026")
    workers = await _workers(core, chat.channel, chat.chat.who)  # and it still starts
    await workers.stop()
    assert workers is not None
