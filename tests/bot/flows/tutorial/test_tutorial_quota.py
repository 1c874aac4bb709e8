"""A creator out of today's posts, photos or captions meets billing's upgrade prompt in
the tutorial, with a button to the plans, and the step waits (or can be skipped)."""

from __future__ import annotations

import pytest

from core.posting.service import PostingService
from core.texts import billing as bt
from core.texts import tutorial as t
from tests.bot.flows.tutorial.conftest import connected_creator
from tests.fakes.photos import camera_photo

NOTHING_LEFT = {"captions_per_day": 0, "images_per_day": 0, "posts_per_day": 0}


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section(),
                         billing={"tiers": {"free": NOTHING_LEFT}})


def _quota(meter: str, upgrade_limit: int) -> str:
    """The limit's line of billing's upgrade prompt (the next line is the creator's
    variant of the upgrade_prompt experiment)."""
    return bt.quota_text({"meter": meter, "limit": 0, "tier": "free", "upgrade": "starter",
                          "upgrade_limit": upgrade_limit}).split("\n")[0]


async def test_no_captions_left_offers_the_plans_and_the_creators_own_title(
        chat, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await chat.send("/tutorial")
    reply = await chat.upload(camera_photo())
    assert t.ASK_TITLE in reply.text
    assert reply.buttons[0].label == "⭐ See plans"
    assert "Step 2 of 4" in (await chat.send("My own title")).text


async def test_no_photos_left_to_protect_shows_the_upgrade_prompt_and_skip(
        chat, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await chat.send("/tutorial")
    await chat.upload(camera_photo())
    await chat.send("My own title")
    reply = await chat.press("Standard")
    assert reply.text.startswith(_quota("image", 30))
    assert "Starter" in reply.text
    assert "Step 3 of 4" in (await chat.press("Skip")).text


async def test_no_posts_left_shows_the_upgrade_prompt_and_its_button_opens_the_plans(
        chat, core, fake_reddit):
    user = await connected_creator(core, fake_reddit)
    fake_reddit.add_sub("pics")
    await chat.send("/tutorial")
    await chat.upload(camera_photo())
    await chat.send("My own title")
    await chat.press("Skip")
    await chat.send("r/pics")
    reply = await chat.press("Queue for")
    assert reply.text.startswith(_quota("post", 20))
    assert "Starter" in reply.text
    assert await PostingService(core).list_jobs(user.id) == []
    plans = await chat.press("See plans")
    assert bt.UPGRADE_HEADER.format(tier="Free") in plans.text
