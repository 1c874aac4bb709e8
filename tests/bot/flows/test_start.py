"""/start onboarding: greet, ask content type, confirm 18+ before adult features."""

from sqlalchemy import select

from core.db.models import User


async def test_start_greets_by_name_and_offers_content_choice(chat):
    reply = await chat.send("/start")
    assert "Alice" in reply.text
    assert [b.label for b in reply.buttons] == ["SFW", "NSFW (18+)"]


async def test_start_creates_the_user_once(chat, core):
    await chat.send("/start")
    await chat.send("/start")
    async with core.db.session() as session:
        users = (await session.scalars(select(User))).all()
    assert len(users) == 1


async def test_choosing_sfw_finishes_onboarding_without_adult_features(chat, core):
    await chat.send("/start")
    reply = await chat.press("SFW")
    assert "all set" in reply.text
    async with core.db.session() as session:
        user = (await session.scalars(select(User))).one()
    assert user.onboarded_at is not None
    assert not user.may_see_nsfw


async def test_nsfw_needs_explicit_age_confirmation(chat, core):
    await chat.send("/start")
    reply = await chat.press("NSFW")
    assert "18" in reply.text
    async with core.db.session() as session:
        assert not (await session.scalars(select(User))).one().may_see_nsfw
    await chat.press("Yes, I confirm")
    async with core.db.session() as session:
        user = (await session.scalars(select(User))).one()
    assert user.may_see_nsfw
    assert user.adult_confirmed_at is not None


async def test_declining_age_keeps_everything_sfw(chat, core):
    await chat.send("/start")
    await chat.press("NSFW")
    reply = await chat.press("No")
    assert "SFW" in reply.text
    async with core.db.session() as session:
        assert not (await session.scalars(select(User))).one().may_see_nsfw


async def test_returning_user_gets_the_menu_not_the_questions(chat):
    await chat.send("/start")
    await chat.press("SFW")
    reply = await chat.send("/start")
    assert "Welcome back" in reply.text


async def test_button_from_an_earlier_step_has_expired(chat):
    await chat.send("/start")
    await chat.press("NSFW")
    await chat.press("No")
    stale = chat.replies[0].buttons[0]
    reply = await chat.press_payload(stale.payload)
    assert "expired" in reply.text
