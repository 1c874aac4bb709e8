"""/besttime in the chat: three hours, each with its reason, in the creator's zone
(the fake clock starts Wed 25 Nov 2026, 12:00 UTC)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.texts import outcomes as t
from tests.fakes.reddit_listings import seed_posts


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.fixture
async def berliner(chat, core):
    await chat.send("/start")
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        user.timezone = "Europe/Berlin"
    return user


async def test_without_data_the_defaults_are_shown_and_said_to_be_defaults(
        chat, berliner, fake_reddit):
    fake_reddit.add_sub("FreshSub")
    reply = await chat.send("/besttime r/FreshSub")
    lines = reply.text.splitlines()
    assert lines[0] == t.BESTTIME_HEADER.format(sub="FreshSub", zone="Europe/Berlin")
    assert lines[1:4] == [  # 09:00 New York is 15:00 in Berlin
        f"• {day} Nov, 15:00: {t.BESTTIME_DEFAULT_SFW}"
        for day in ("Wed 25", "Thu 26", "Fri 27")]
    assert t.BESTTIME_BASIS["default"] in lines


async def test_the_subreddits_busy_hour_is_named_as_the_reason(chat, berliner, fake_reddit):
    fake_reddit.add_sub("NightOwls")
    sat_21_berlin = datetime(2026, 11, 21, 20, 0, tzinfo=UTC).timestamp()
    seed_posts(fake_reddit, "NightOwls", [(sat_21_berlin - 3600 * 24 * 7 * w, 800)
                                          for w in range(3)])
    reply = await chat.send("/besttime NightOwls")
    assert f"• Sat 28 Nov, 21:00: {t.BESTTIME_BUSY}" in reply.text.splitlines()
    assert t.BESTTIME_BASIS["crowd"] in reply.text


async def test_a_name_that_cannot_be_a_subreddit_is_asked_again(chat, berliner):
    assert (await chat.send("/besttime r/not a sub!")).text == t.BESTTIME_BAD
    reply = await chat.send("r/selfie")
    assert reply.text.startswith(t.BESTTIME_HEADER.format(sub="selfie", zone="Europe/Berlin"))


async def test_besttime_without_a_name_asks_for_one(chat, berliner):
    assert (await chat.send("/besttime")).text == t.BESTTIME_ASK
