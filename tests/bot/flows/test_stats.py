"""/stats in the chat: nothing yet, the headline on plans without analytics, and the
chart with the breakdown on plans with it."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from PIL import Image

from core.texts import outcomes as t
from tests.fakes.creators import chatting_creator
from tests.fakes.outcomes import Outcome, record_outcomes


@pytest.fixture
async def alice(chat, core, fake_reddit):
    return await chatting_creator(chat, core, fake_reddit)


async def _history(core, alice, tier):
    user, account = alice
    await record_outcomes(core, user.id, account.id, [
        Outcome("pics", datetime(2026, 11, 20, 20, tzinfo=UTC), 40, comments=2),
        Outcome("selfie", datetime(2026, 11, 21, 9, tzinfo=UTC), 10)])
    async with core.db.session() as session:
        (await core.users.get(session, user.id)).tier = tier


async def test_no_numbers_yet_says_when_they_come(chat, alice):
    assert (await chat.send("/stats")).text == t.STATS_NONE


async def test_a_free_creator_gets_the_headline_and_the_plan_with_charts(chat, core, alice):
    await _history(core, alice, "free")
    reply = await chat.send("/stats")
    assert reply.text.splitlines() == [
        t.STATS_HEADLINE.format(posts=2, median=25.0, best=40, comments=2, removed=0),
        t.STATS_UPGRADE.format(tier="Pro")]
    assert reply.reply.attachment is None


async def test_a_pro_creator_gets_the_chart_and_top_subreddits(chat, core, alice):
    await _history(core, alice, "pro")
    reply = await chat.send("/stats")
    assert "Top subreddits: r/pics (1 posts, median 40)" in reply.text
    assert reply.reply.attachment is not None
    assert Image.open(BytesIO(reply.reply.attachment.data)).format == "PNG"
