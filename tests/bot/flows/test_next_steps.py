"""After a key result (a caption written, a photo protected, a post queued or live, an
account connected, getting started done) the reply offers what's next as buttons that
start that flow as its command would, and names the commands in words too. The buttons
are signed: a forged, foreign or stale one gets the friendly "expired" answer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.texts import common
from core.texts import reddit as rt
from core.texts import schedule as ts
from core.texts import shield as st
from core.texts import tutorial as tt
from tests.bot.flows.tutorial.conftest import connected_creator
from tests.fakes.chat import ChatDriver
from tests.fakes.photos import camera_photo


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _posted_ready(chat, fake_reddit) -> None:
    fake_reddit.add_sub("pics")
    await chat.send("/post")
    await chat.upload(camera_photo())
    await chat.send("Sunday vibes")
    await chat.send("pics")
    await chat.press("Done")


async def test_a_used_caption_offers_to_protect_the_photo_next(chat):
    await chat.send("/caption red dress, rooftop at sunset")
    await chat.press("Write captions")
    used = await chat.press("Use 1")
    assert [b.label for b in used.buttons][-1] == "🛡 Protect a photo"
    assert (await chat.press("Protect a photo")).text == st.ASK_PHOTO


async def test_a_protected_photo_offers_posting_and_captions_in_buttons_and_words(
        chat, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await chat.send("/protect")
    await chat.upload(camera_photo())
    await chat.press("Standard")
    done = chat.last
    assert "Next: /protect · /post · /caption" in done.text
    assert done.reply.attachment is not None
    assert (await chat.press("Post to Reddit")).text == rt.ASK_MEDIA


async def test_a_scheduled_post_offers_the_queue(chat, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await _posted_ready(chat, fake_reddit)
    await chat.press("Best time")
    await chat.press("London")
    assert chat.last.text.startswith("Scheduled:")
    assert "/queue" in chat.last.text
    queue = await chat.press("See my queue")
    assert queue.text.startswith(ts.QUEUE_HEADER.format(n=1))


async def test_a_live_post_offers_another_post(chat, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await _posted_ready(chat, fake_reddit)
    live = await chat.press("Post now")
    assert live.text.startswith("Live on r/pics")
    assert (await chat.press("Post to Reddit")).text == rt.ASK_MEDIA


async def test_the_connected_accounts_list_offers_the_guided_first_post(
        chat, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await chat.send("/connect")
    listed = await chat.press("I've connected it")
    assert "Next: /post · /tutorial" in listed.text
    assert tt.INTRO in (await chat.press("Guided first post")).text


async def test_getting_started_ends_with_an_offer_of_the_tutorial(chat):
    await chat.send("/start")
    for _ in range(4):
        done = await chat.press("Skip")
    assert "all set" in done.text
    assert "Next: /tutorial" in done.text
    assert tt.INTRO in (await chat.press("Guided first post")).text


async def test_a_forged_next_step_button_gets_the_friendly_message(chat, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await chat.send("/connect")
    await chat.press("I've connected it")
    payload = chat.button("Guided first post").payload or ""
    forged = payload.replace("tutorial|", "billing|", 1)
    assert (await chat.press_payload(forged)).text == common.BUTTON_EXPIRED
    tampered = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    assert (await chat.press_payload(tampered)).text == common.BUTTON_EXPIRED


async def test_a_stale_next_step_button_gets_the_friendly_message(
        chat, core, fake_reddit, clock):
    await connected_creator(core, fake_reddit)
    await chat.send("/connect")
    await chat.press("I've connected it")
    payload = chat.button("Guided first post").payload or ""
    clock.advance(timedelta(days=8))  # buttons live for a week
    assert (await chat.press_payload(payload)).text == common.BUTTON_EXPIRED


async def test_someone_elses_next_step_button_gets_the_friendly_message(
        chat, dispatcher, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await chat.send("/connect")
    await chat.press("I've connected it")
    payload = chat.button("Guided first post").payload or ""
    bob = ChatDriver(dispatcher, external_id="bob", name="Bob")
    assert (await bob.press_payload(payload)).text == common.BUTTON_EXPIRED
