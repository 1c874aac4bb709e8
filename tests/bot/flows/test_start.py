"""/start: new creators get the wizard's first step, returning ones the menu."""

import pytest
from sqlalchemy import select

from core.db.models import User


async def test_start_greets_by_name_and_offers_content_choice(chat):
    reply = await chat.send("/start")
    assert "Alice" in reply.text
    assert "Step 1 of 4" in reply.text
    assert [b.label for b in reply.buttons[:2]] == ["SFW", "NSFW (18+)"]


@pytest.mark.both_backends
async def test_start_creates_the_user_once(chat, core):
    await chat.send("/start")
    await chat.send("/start")
    async with core.db.session() as session:
        users = (await session.scalars(select(User))).all()
    assert len(users) == 1


async def test_start_in_the_middle_of_the_wizard_shows_the_current_step(chat):
    await chat.send("/start")
    await chat.press("SFW")
    reply = await chat.send("/start")
    assert "Step 2 of 4" in reply.text


async def test_returning_user_gets_the_menu_not_the_questions(chat):
    await chat.send("/start")
    await chat.press("SFW")
    await chat.press("Skip")
    await chat.press("Skip")
    await chat.press("Skip")
    reply = await chat.send("/start")
    assert "Welcome back" in reply.text
    assert "✍️ Write captions" in [b.label for b in reply.buttons]


async def test_button_from_an_earlier_step_has_expired(chat):
    await chat.send("/start")
    await chat.press("NSFW")
    await chat.press("No")
    stale = chat.replies[0].buttons[0]
    reply = await chat.press_payload(stale.payload)
    assert "expired" in reply.text
