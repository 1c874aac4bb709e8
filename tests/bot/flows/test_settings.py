"""/settings in the chat: one card over the same settings as the web Settings page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db.models import Event, User
from core.onboarding import Consent


async def _user(core) -> User:
    async with core.db.session() as session:
        return (await session.scalars(select(User))).one()


async def test_settings_shows_every_setting_on_one_card(chat):
    card = await chat.send("/settings")
    for line in ("Adult content: off", "Protect photos before posting: off",
                 "Reddit accounts: none connected", "Tone: Playful", "Style: Teaser",
                 "Niche", "Banned words", "Promo link", "Time zone: UTC"):
        assert line in card.text


async def test_adult_content_needs_the_18_plus_confirmation_first(chat, core):
    await chat.send("/settings")
    question = await chat.press("Adult: off")
    assert "18 or older" in question.text
    assert not (await _user(core)).may_see_nsfw
    card = await chat.press("Yes, I confirm")
    assert "Adult content: on" in card.text
    assert (await _user(core)).may_see_nsfw
    async with core.db.session() as session:
        assert [c.kind for c in await session.scalars(select(Consent))] == ["adult"]


async def test_saying_no_to_the_age_question_keeps_adult_content_off(chat, core):
    await chat.send("/settings")
    await chat.press("Adult: off")
    card = await chat.press("No")
    assert "Adult content: off" in card.text
    assert (await _user(core)).adult_confirmed_at is None


async def test_adult_content_can_be_turned_off_again(chat, core):
    await chat.send("/settings")
    await chat.press("Adult: off")
    await chat.press("Yes, I confirm")
    card = await chat.press("Adult: on")
    assert "Adult content: off" in card.text
    assert not (await _user(core)).may_see_nsfw


async def test_protection_level_is_picked_with_an_explanation_of_each(chat, core):
    await chat.send("/settings")
    await chat.press("Protection: off")
    about = await chat.press("ℹ️ Heavy")
    assert "mirrors" in about.text
    card = await chat.press("Use Heavy")
    assert "Protect photos before posting: Heavy" in card.text
    async with core.db.session() as session:
        prefs = await core.reddit.accounts.prefs(session, (await _user(core)).id)
    assert prefs.protect_level == "heavy"


async def test_time_zone_and_banned_words_are_saved_from_settings(chat, core):
    await chat.send("/settings")
    await chat.press("Time zone")
    card = await chat.press("Europe/London")
    assert "Time zone: Europe/London" in card.text
    await chat.press("Banned words")
    card = await chat.send("baby")
    assert "Banned words: baby" in card.text
    assert (await _user(core)).timezone == "Europe/London"


async def test_accounts_button_opens_connect(chat):
    await chat.send("/settings")
    reply = await chat.press("Accounts")
    assert "Reddit" in reply.text


async def test_no_to_the_age_question_takes_back_an_earlier_confirmation(chat, core):
    """Confirmed once, later "No" in /setup: /settings must ask again before adult is on."""
    await chat.send("/settings")
    await chat.press("Adult: off")
    await chat.press("Yes, I confirm")
    await chat.send("/setup")
    await chat.press("NSFW")
    await chat.press("No")
    user = await _user(core)
    assert user.adult_confirmed_at is None
    assert not user.may_see_nsfw
    await chat.send("/settings")
    question = await chat.press("Adult: off")
    assert "18 or older" in question.text
    assert not (await _user(core)).may_see_nsfw
    async with core.db.session() as session:
        revoked = (await session.scalars(
            select(Event).where(Event.kind == "user.adult_revoked"))).one()
    assert revoked.data["had_confirmed"] is True


@pytest.mark.parametrize(("typed", "zone"), [("europe/paris", "Europe/Paris"), ("utc", "UTC"),
                                             ("New York", "America/New_York")])
async def test_a_typed_time_zone_is_read_as_scheduling_reads_it(chat, core, typed, zone):
    await chat.send("/settings")
    await chat.press("Time zone")
    card = await chat.send(typed)
    assert f"Time zone: {zone}" in card.text
    assert (await _user(core)).timezone == zone


async def test_confirming_again_after_a_no_is_recorded_again(chat, core, clock):
    await chat.send("/settings")
    await chat.press("Adult: off")
    await chat.press("Yes, I confirm")
    await chat.send("/setup")
    await chat.press("NSFW")
    await chat.press("No")
    clock.advance(timedelta(minutes=1))
    await chat.send("/settings")
    await chat.press("Adult: off")
    assert "Adult content: on" in (await chat.press("Yes, I confirm")).text
    async with core.db.session() as session:
        adult = list(await session.scalars(
            select(Consent.accepted_at).where(Consent.kind == "adult").order_by(Consent.id)))
    assert len(adult) == 2
    assert adult[1] == clock.now()
