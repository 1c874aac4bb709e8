"""/caption through the in-process chat driver (and once through real Telegram)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack

import pytest
from sqlalchemy import select

from bot.app import build_dispatcher
from core.bootstrap import Core, open_core
from core.captions.models import CaptionBatchRecord, CaptionOptionRecord
from core.db.models import Event
from core.reddit.client import Credentials
from tests.fakes.chat import ChatDriver, another_creator_says_hi
from tests.fakes.llm import Behaviour, FakeLLM
from tests.fakes.reddit import make_jpeg, running_fake_reddit

DESCRIPTION = "red dress, rooftop at sunset"
OpenChat = Callable[..., Awaitable[tuple[ChatDriver, Core]]]


@pytest.fixture
async def open_chat(make_settings, database_url, clock) -> AsyncIterator[OpenChat]:
    """A chat on a core built with extra settings sections (limits, ai, reddit)."""
    async with AsyncExitStack() as stack:

        async def _open(**sections: dict[str, object]) -> tuple[ChatDriver, Core]:
            settings = make_settings(database_url, **sections)
            core = await stack.enter_async_context(open_core(settings, clock=clock))
            return ChatDriver(build_dispatcher(core)), core

        yield _open


def titles(text: str) -> list[str]:
    """Option titles from an options message ("1. title" lines)."""
    return re.findall(r"^\d\. (.+)$", text, flags=re.MULTILINE)


def labels(sent) -> list[str]:
    return [b.label for b in sent.buttons]


async def adult(chat: ChatDriver) -> None:
    await chat.send("/start")
    await chat.press("NSFW")
    await chat.press("Yes, I confirm")


async def written(chat: ChatDriver, description: str = DESCRIPTION):
    await chat.send(f"/caption {description}")
    return await chat.press("Write captions")


async def batches(core: Core) -> list[CaptionBatchRecord]:
    async with core.db.session() as session:
        return list((await session.scalars(select(CaptionBatchRecord))).all())


async def test_caption_asks_for_a_description_or_a_photo(chat):
    reply = await chat.send("/caption")
    assert "send the photo" in reply.text
    assert reply.buttons == []


async def test_description_shows_sensible_defaults_and_a_write_button(chat):
    await chat.send("/caption")
    reply = await chat.send(DESCRIPTION)
    assert DESCRIPTION in reply.text
    assert "Reddit · playful tone · teaser style" in reply.text
    assert "5 of 5 left today" in reply.text
    assert labels(reply)[0] == "✍️ Write captions"


async def test_writing_edits_one_message_through_the_stages(chat):
    await chat.send(f"/caption {DESCRIPTION}")
    before = len(chat.replies)
    reply = await chat.press("Write captions")
    assert len(chat.replies) == before + 1
    assert [r.text for r in reply.edits] == ["🔍 Analyzing…", "✍️ Writing…", "✨ Polishing…"]
    assert len(titles(reply.text)) == 3


async def test_each_option_can_be_used_or_posted_and_all_can_be_rewritten(chat):
    reply = await written(chat)
    assert labels(reply) == [
        "✅ Use 1", "📮 Post 1", "✅ Use 2", "📮 Post 2", "✅ Use 3", "📮 Post 3",
        "🔄 New options", "🎭 Change tone", "➖ Shorter", "➕ Longer",
    ]


async def test_use_sends_the_option_alone_and_remembers_it_was_used(chat, core):
    second = titles((await written(chat)).text)[1]
    reply = await chat.press("Use 2")
    assert reply.text.endswith(second)
    assert labels(reply) == ["📮 Post this to Reddit", "🛡 Protect a photo"]  # and next steps
    async with core.db.session() as session:
        used = (await session.scalars(
            select(CaptionOptionRecord).where(CaptionOptionRecord.used_at.is_not(None)))).all()
    assert [row.title for row in used] == [second]


async def test_new_options_never_repeat_the_previous_ones(chat):
    first = titles((await written(chat)).text)
    reply = await chat.press("New options")
    again = titles(reply.text)
    assert len(again) == 3
    assert not set(first) & set(again)


async def test_change_tone_rewrites_in_the_chosen_tone(chat, core):
    await written(chat)
    picker = await chat.press("Change tone")
    assert "✓ Playful" in labels(picker)
    reply = await chat.press("Confident")
    assert "confident tone" in reply.text
    assert len(titles(reply.text)) == 3
    assert [b.tone for b in await batches(core)] == ["playful", "confident"]


async def test_shorter_gives_short_titles_and_hides_itself(chat):
    await written(chat)
    reply = await chat.press("Shorter")
    assert all(len(title) <= 60 for title in titles(reply.text))
    assert "➖ Shorter" not in labels(reply)
    assert "➕ Longer" in labels(reply)


async def test_longer_adds_a_body_to_every_option(chat, core):
    await written(chat)
    reply = await chat.press("Longer")
    assert "➕ Longer" not in labels(reply)
    async with core.db.session() as session:
        latest = (await batches(core))[-1]
        options = (await session.scalars(select(CaptionOptionRecord).where(
            CaptionOptionRecord.batch_id == latest.id))).all()
    assert latest.brief["length"] == "long"
    assert all(option.body for option in options)
    assert all(option.body in reply.text for option in options)


async def test_tone_info_explains_it_with_a_real_example(chat, core):
    await chat.send(f"/caption {DESCRIPTION}")
    await chat.press("Tone: Playful")
    reply = await chat.press("ℹ️ Flirty")
    assert "wink" in reply.text
    assert core.captions.example(tone="flirty") in reply.text
    setup = await chat.press("Use Flirty")
    assert "flirty tone" in setup.text


async def test_style_info_shows_an_example_in_that_style(chat, core):
    await chat.send(f"/caption {DESCRIPTION}")
    await chat.press("Style: Teaser")
    reply = await chat.press("ℹ️ POV")
    assert core.captions.example(style="pov") in reply.text
    assert "POV:" in reply.text


async def test_unsafe_description_is_refused_kindly_and_nothing_is_written(chat, core):
    reply = await chat.send("/caption 16 year old in a bikini")
    assert "under 18" in reply.text
    assert "Write captions" not in " ".join(labels(reply))
    assert await batches(core) == []
    async with core.db.session() as session:
        refused = (await session.scalars(select(Event).where(
            Event.kind == "caption.refused"))).one()
    assert refused.data["category"] == "minors"
    setup = await chat.send(DESCRIPTION)
    assert labels(setup)[0] == "✍️ Write captions"


async def test_a_refusal_before_writing_leaves_no_progress_line_behind(chat, core):
    await chat.send(f"/caption {DESCRIPTION}")
    await chat.send("r/teenagers")
    reply = await chat.press("Write captions")
    assert reply.edits == []  # "Analyzing…" was overtaken before it was ever sent
    assert "under 18" in reply.text
    assert titles(reply.text) == []
    assert await batches(core) == []


async def test_daily_limit_reached_explains_the_refill_and_better_plans(open_chat):
    limits = {"captions_per_day": {"free": 1, "starter": 50, "pro": 500, "premium": None}}
    chat, core = await open_chat(limits=limits)
    await written(chat)
    reply = await chat.press("New options")
    assert "used today's 1 caption request on the Free plan" in reply.text
    assert "midnight" in reply.text
    assert "Starter 50 a day, Pro 500 a day, Premium unlimited" in reply.text
    assert len(await batches(core)) == 1


async def test_sfw_user_sees_no_adult_personas_and_no_spice_switch(chat):
    setup = await chat.send(f"/caption {DESCRIPTION}")
    assert not any("Spicy" in label for label in labels(setup))
    await chat.press("Persona")
    personas = [b.label for b in await chat.every_page()]
    assert "Fitness" in personas
    assert not {"Domme", "Seductress", "Exhibitionist"} & set(personas)
    await chat.send(f"/caption {DESCRIPTION}")
    await chat.press("Tone")
    tones = [b.label for b in await chat.every_page()]
    assert "Sultry" in tones  # the tone catalogue has no adult-only tones


async def test_adult_user_gets_adult_personas_and_can_turn_spice_off(chat):
    await adult(chat)
    setup = await chat.send(f"/caption {DESCRIPTION}")
    assert "spicy" in setup.text
    await chat.press("Persona")
    personas = [b.label for b in await chat.every_page()]
    assert {"Domme", "Seductress", "Exhibitionist"} <= set(personas)
    await chat.press("Seductress")
    tamer = await chat.press("Spicy: on")
    assert "spicy" not in tamer.text
    assert "seductress" in tamer.text
    assert "🔞 Spicy: off" in labels(tamer)


async def test_tampered_button_has_expired(chat):
    await chat.send(f"/caption {DESCRIPTION}")
    payload = chat.button("Write captions").payload
    forged = payload.replace("|go~", "|regen~")
    reply = await chat.press_payload(forged)
    assert "expired" in reply.text


async def test_button_from_a_cancelled_caption_has_expired(chat):
    await written(chat)
    stale = chat.button("New options")
    await chat.send("/cancel")
    reply = await chat.press_payload(stale.payload)
    assert "expired" in reply.text


async def test_photo_sent_outside_any_flow_can_be_captioned(chat):
    offer = await chat.upload(make_jpeg(size=128))
    assert "✍️ Write captions for it" in labels(offer)
    setup = await chat.press("Write captions for it")
    assert "your photo" in setup.text
    assert "type a few words" in setup.text
    await chat.send("black lace, candlelight")
    reply = await chat.press("Write captions")
    assert len(titles(reply.text)) == 3


async def test_photo_caption_text_becomes_the_description(chat):
    await chat.send("/caption")
    setup = await chat.upload(make_jpeg(), caption="black lace, candlelight")
    assert "your photo (“black lace, candlelight”)" in setup.text
    reply = await chat.press("Write captions")
    assert any("lace" in title for title in titles(reply.text))


async def test_a_backup_provider_is_mentioned_once(open_chat):
    llm = FakeLLM()
    await llm.start()
    try:
        llm.default = Behaviour("401")
        chat, _ = await open_chat(ai={"provider": "openai", "base_url": llm.openai_base_url,
                                      "api_key": "sk-test", "max_retries": 0})
        first = await written(chat)
        again = await chat.press("New options")
    finally:
        await llm.close()
    assert "my backup wrote these" in first.text
    assert "backup" not in again.text
    assert len(titles(again.text)) == 3


async def _with_reddit_account(open_chat, fake_reddit):
    """A creator who connected u/alice, and r/selfie on the fake Reddit."""
    chat, core = await open_chat(reddit=fake_reddit.settings_section())
    fake_reddit.add_sub("selfie")
    await chat.send("/start")
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        await core.reddit.accounts.save(session, user.id, "alice", creds, auth_kind="token")
    return chat


async def test_post_this_hands_the_caption_over_to_post(open_chat, tmp_path):
    async with running_fake_reddit(tmp_path) as fake_reddit:
        chat = await _with_reddit_account(open_chat, fake_reddit)
        await chat.send(f"/caption {DESCRIPTION}")
        await chat.send("r/selfie")
        first = titles((await chat.press("Write captions")).text)[0]
        asked = await chat.press("Post 1")
        assert "What are we posting?" in asked.text
        subs = await chat.upload(make_jpeg())
        assert "r/selfie" in subs.text
        ready = await chat.press("Done")
        assert first in ready.text


async def test_post_this_after_captioning_a_photo_posts_that_photo(open_chat, tmp_path):
    async with running_fake_reddit(tmp_path) as fake_reddit:
        chat = await _with_reddit_account(open_chat, fake_reddit)
        await chat.send("/caption")
        await chat.upload(make_jpeg(), caption=DESCRIPTION)
        await chat.send("r/selfie")
        first = titles((await chat.press("Write captions")).text)[0]
        subs = await chat.press("Post 1")
        assert "r/selfie" in subs.text  # no second request for the photo
        await chat.press("Done")
        await chat.press("Post now")
        [post] = fake_reddit.posts
        assert (post.kind, post.title) == ("image", first)


async def test_caption_end_to_end_through_telegram(fake_telegram, telegram_bot):
    await fake_telegram.send_text(f"/caption {DESCRIPTION}")
    [setup] = await fake_telegram.wait_for("sendMessage")
    write = setup.params["reply_markup"]["inline_keyboard"][0][0]
    assert write["text"] == "✍️ Write captions"
    await fake_telegram.press(setup.result, write["callback_data"])
    calls = await fake_telegram.wait_for("sendMessage", count=2)
    progress = calls[1]
    assert progress.params["text"] == "🔍 Analyzing…"
    edits = await fake_telegram.wait_for("editMessageText", count=3)
    assert {int(e.params["message_id"]) for e in edits} == {progress.result["message_id"]}
    assert [e.params["text"] for e in edits[:2]] == ["✍️ Writing…", "✨ Polishing…"]
    final = edits[2].params
    assert len(titles(final["text"])) == 3
    buttons = [b for row in final["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[0]["text"] == "✅ Use 1"
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)


async def test_other_creators_are_not_held_up_while_captions_are_being_written(open_chat):
    """No transaction stays open across the provider call: on SQLite another creator's
    message would otherwise wait for the write lock until the captions came back."""
    llm = FakeLLM()
    await llm.start()
    llm.hold = asyncio.Event()
    try:
        alice, _ = await open_chat(ai={"provider": "openai", "base_url": llm.openai_base_url,
                                        "api_key": "sk-test"})
        await alice.send(f"/caption {DESCRIPTION}")
        writing = asyncio.create_task(alice.press("Write captions"))
        await asyncio.wait_for(llm.received.wait(), timeout=60)  # Alice's call is out
        await another_creator_says_hi(alice.chat.dispatcher)
        assert not writing.done()
        llm.hold.set()
        assert len(titles((await writing).text)) == 3
    finally:
        llm.hold.set()
        await llm.close()
