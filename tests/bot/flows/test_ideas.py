"""/ideas in the chat: ideas with their reasons, and one tap to titles for one."""

from __future__ import annotations

import pytest

from core.onboarding.service import Onboarding
from core.texts import next_steps as next_texts
from core.texts import outcomes as t
from tests.fakes.creators import chatting_creator


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.fixture
async def alice(chat, core, fake_reddit):
    return (await chatting_creator(chat, core, fake_reddit))[0]


async def test_without_a_niche_or_history_it_says_what_would_help(chat, alice):
    assert (await chat.send("/ideas")).text == t.IDEAS_NONE


async def test_an_idea_shows_why_and_one_tap_writes_titles_for_it(chat, core, alice,
                                                                   fake_reddit):
    fake_reddit.add_sub("cosplay")
    async with core.db.session() as session:
        await Onboarding(core.clock, core.events).update_profile(session, alice,
                                                                 niche="cosplay")
    reply = await chat.send("/ideas")
    assert reply.text.splitlines()[:2] == [
        t.IDEAS_HEADER,
        "1. r/cosplay: matches your niche: cosplay. Try a confident teaser caption."]
    titles = await chat.press("✍️ r/cosplay")
    assert titles.text.startswith("Three confident teaser titles for r/cosplay:\n1. ")
    assert [b.label for b in titles.buttons] == [next_texts.CAPTION, next_texts.POST]
