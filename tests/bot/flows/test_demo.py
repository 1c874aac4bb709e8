"""/demo: captions and photo protection on a sample photo, with no account and nothing
personal stored; after three tries, an invitation to sign up."""

from __future__ import annotations

from sqlalchemy import func, select

from core.captions.models import CaptionBatchRecord, CaptionOptionRecord
from core.db.models import ConversationState, Event, Identity, User
from core.events import DEMO_TRIED, SIGNUP_SOURCE


async def _count(core, model) -> int:
    async with core.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)))


async def test_demo_shows_a_sample_photo_and_what_to_try(chat):
    reply = await chat.send("/demo")
    assert reply.reply.attachment is not None
    assert reply.reply.attachment.data[:2] == b"\xff\xd8"  # a JPEG
    assert [b.label for b in reply.buttons] == ["✍️ Captions for it", "🛡 Protect it"]


async def test_demo_writes_captions_for_the_sample(chat):
    await chat.send("/demo")
    reply = await chat.press("Captions for it")
    assert "1. " in reply.text
    assert "2 of 3 tries left" in reply.text


async def test_demo_protects_the_sample_and_sends_the_copy(chat):
    await chat.send("/demo")
    reply = await chat.press("Protect it")
    assert "Hash match" in reply.text
    assert reply.reply.attachment.filename.startswith("sample-protected.")


async def test_after_three_tries_comes_an_invitation_to_sign_up(chat):
    await chat.send("/demo")
    await chat.press("Captions for it")
    await chat.press("Protect it")
    reply = await chat.press("Captions for it")
    assert "/start" in reply.text
    assert [b.label for b in reply.buttons] == ["🚀 Sign me up"]


async def test_the_demo_stores_no_user_identity_state_or_caption(chat, core):
    await chat.send("/demo")
    await chat.press("Captions for it")
    await chat.press("Protect it")
    await chat.press("Captions for it")
    for model in (User, Identity, ConversationState, CaptionBatchRecord, CaptionOptionRecord):
        assert await _count(core, model) == 0, model.__name__
    async with core.db.read() as session:
        events = (await session.execute(select(Event.kind, Event.user_id))).all()
    assert [tuple(e) for e in events] == [(DEMO_TRIED, None)] * 3


async def test_signing_up_from_the_demo_starts_setup_and_counts_the_source(chat, core):
    await chat.send("/demo")
    for label in ("Captions for it", "Protect it", "Captions for it"):
        await chat.press(label)
    reply = await chat.press("Sign me up")
    assert "Step 1 of 4" in reply.text
    async with core.db.read() as session:
        user = await core.users.find(session, "console", "alice")
        assert await core.events.count(session, SIGNUP_SOURCE, user.id) == 1
