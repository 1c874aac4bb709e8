"""/post shows each subreddit's engagement forecast, with its reasons, before "Ready"."""

from __future__ import annotations

import pytest

from core.texts import outcomes as t
from tests.bot.flows.test_post import _adult_with_account, _photo_post_to


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _ready(chat, title):
    return await _photo_post_to(chat, title, "r/pics")


async def test_the_forecast_comes_before_ready_with_a_score_and_reasons(
        chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    ready = await _ready(chat, "Who else chases golden hour on rooftops like this?")
    assert ready.text.startswith("Ready to post:")
    forecast = chat.texts[-2].splitlines()
    assert forecast[0] == t.SCORE_HEADER
    assert forecast[1].startswith("• r/pics: ")
    assert "/100 at " in forecast[1]
    assert "+ a question invites replies" in forecast[1]
    assert forecast[2] == t.SCORE_BASIS[0]


async def test_a_weaker_title_scores_lower(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _ready(chat, "Who else chases golden hour on rooftops like this?")
    strong = chat.texts[-2]
    await chat.send("/cancel")
    await _ready(chat, "hi")
    weak = chat.texts[-2]

    def score(text: str) -> int:
        return int(text.splitlines()[1].split(": ", 1)[1].split("/100")[0])

    assert score(strong) > score(weak)
    assert "− a title that's very short or long" in weak
