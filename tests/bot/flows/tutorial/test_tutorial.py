"""/tutorial in the terminal chat: caption, protect, rule check and schedule on the
creator's own photo, one tap at a time, ending with the post queued in the posting
engine; every step numbered, explained and skippable; resumable after a restart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import build_dispatcher
from core.bootstrap import open_core
from core.db.models import ConversationState, Event
from core.posting.service import PostingService
from core.texts import common
from core.texts import tutorial as t
from tests.bot.flows.tutorial.conftest import connected_creator, to_rule_check
from tests.fakes.chat import ChatDriver
from tests.fakes.photos import camera_photo

BEST_PICS = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)  # the next 09:00 in New York


async def _completed(core) -> list[Event]:
    async with core.db.session() as session:
        return list(await session.scalars(
            select(Event).where(Event.kind == "tutorial.completed")))


async def test_a_full_tutorial_queues_the_post_at_the_best_time_and_it_goes_live(
        chat, core, fake_reddit, clock):
    user = await connected_creator(core, fake_reddit)
    fake_reddit.add_sub("pics")
    intro = await chat.send("/tutorial")
    assert "Send me the photo" in intro.text
    options = await chat.upload(camera_photo())
    assert "Step 1 of 4 · Caption" in options.text
    assert "Why it matters" in options.text
    protect = await chat.press("Use 1")
    assert "Step 2 of 4 · Protect" in protect.text
    check = await chat.press("Standard")
    protected = next(r.reply.attachment for r in chat.replies if r.reply.attachment)
    assert protected.filename.endswith("-protected.jpg")
    assert "Step 3 of 4 · Rule check" in check.text
    when = await chat.send("r/pics")
    assert "✅ r/pics: your post fits its rules." in when.text
    assert "Step 4 of 4 · Schedule" in when.text
    done = await chat.press("Queue for Wed 25 Nov, 14:00")
    assert "Your post is queued: r/pics, Wed 25 Nov, 14:00" in done.text
    [job] = await PostingService(core).list_jobs(user.id)
    assert job.due_at == BEST_PICS
    assert [t.subreddit for t in job.targets] == ["pics"]
    assert fake_reddit.posts == []
    clock.advance(timedelta(hours=2))
    assert await PostingService(core).run_due() == 1
    [post] = fake_reddit.posts
    assert post.subreddit == "pics"
    assert post.title == job.targets[0].title
    [event] = await _completed(core)
    assert event.data == {"queued": True, "skipped": []}


async def test_every_step_can_be_skipped_up_to_the_schedule(chat, core, fake_reddit):
    user = await connected_creator(core, fake_reddit)
    fake_reddit.add_sub("pics")
    await chat.send("/tutorial")
    await chat.upload(camera_photo())
    asked = await chat.press("Skip")
    assert "Type the title" in asked.text
    assert "Step 2 of 4" in (await chat.send("My own title")).text
    assert "Step 3 of 4" in (await chat.press("Skip")).text
    assert all(r.reply.attachment is None for r in chat.replies)  # nothing protected
    await chat.send("pics")
    done = await chat.press("Queue for")
    assert "queued" in done.text
    [job] = await PostingService(core).list_jobs(user.id)
    assert job.targets[0].title == "My own title"
    [event] = await _completed(core)
    assert event.data["skipped"] == ["1", "2"]


async def test_a_skip_tapped_twice_skips_one_step(chat, core, fake_reddit):
    """The second tap of the caption step's Skip (or that message's Skip pressed later)
    is from a step already left: it skips nothing more."""
    await connected_creator(core, fake_reddit)
    await chat.send("/tutorial")
    await chat.upload(camera_photo())
    skip = next(b for b in chat.last.buttons if b.label.startswith("Skip"))
    assert "Type the title" in (await chat.press("Skip")).text
    protect = await chat.send("My own title")
    assert "Step 2 of 4" in protect.text

    again = await chat.press_payload(skip.payload or "")

    assert "expired" in again.text.lower()
    skip_protect = next(b for b in protect.buttons if b.label.startswith("Skip"))
    assert "Step 3 of 4" in (await chat.press_payload(skip_protect.payload or "")).text


async def test_skipping_the_schedule_ends_without_a_post_and_says_so(chat, core, fake_reddit):
    user = await connected_creator(core, fake_reddit)
    fake_reddit.add_sub("pics")
    await to_rule_check(chat, "Use 2")
    await chat.send("r/pics")
    end = await chat.press("Skip")
    assert "nothing queued" in end.text
    assert "Next: /post" in end.text
    assert await PostingService(core).list_jobs(user.id) == []
    assert (await _completed(core))[0].data == {"queued": False, "skipped": ["2", "4"]}


async def test_a_typed_time_is_read_in_the_creators_zone(chat, core, fake_reddit):
    user = await connected_creator(core, fake_reddit)
    fake_reddit.add_sub("pics")
    await to_rule_check(chat)
    await chat.send("r/pics")
    done = await chat.send("tomorrow 9pm")
    assert "Thu 26 Nov, 21:00" in done.text
    [job] = await PostingService(core).list_jobs(user.id)
    assert job.due_at == datetime(2026, 11, 26, 21, 0, tzinfo=UTC)


async def test_the_tutorial_resumes_at_the_same_step_after_a_restart(
        settings, clock, fake_reddit):
    async with open_core(settings, clock=clock) as core:
        user = await connected_creator(core, fake_reddit)
        fake_reddit.add_sub("pics")
        before = ChatDriver(build_dispatcher(core))
        await to_rule_check(before)
    async with open_core(settings, clock=clock) as core:  # a new process, same database
        # and the same chat platform, which still holds the photo
        after = ChatDriver(build_dispatcher(core), channel=before.channel)
        assert await after.chat.resume()
        assert "Step 3 of 4" in after.last.text
        await after.send("r/pics")
        done = await after.press("Queue for")
        assert "queued" in done.text
        [job] = await PostingService(core).list_jobs(user.id)
        assert job.targets[0].subreddit == "pics"


async def test_a_restart_at_the_caption_step_shows_the_same_options(
        settings, clock, fake_reddit):
    async with open_core(settings, clock=clock) as core:
        await connected_creator(core, fake_reddit)
        before = ChatDriver(build_dispatcher(core))
        await before.send("/tutorial")
        options = (await before.upload(camera_photo())).text
    async with open_core(settings, clock=clock) as core:
        after = ChatDriver(build_dispatcher(core), channel=before.channel)
        assert await after.chat.resume()
        first = options.split("1. ", 1)[1].split("\n", 1)[0]
        assert first in after.last.text
        assert "Step 2 of 4" in (await after.press("Use 1")).text


async def test_a_button_from_a_finished_tutorial_has_expired(chat, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await chat.send("/tutorial")
    await chat.upload(camera_photo())
    use = chat.button("Use 1")
    await chat.send("/cancel")
    reply = await chat.press_payload(use.payload or "")
    assert "expired" in reply.text


@pytest.mark.both_backends
async def test_two_concurrent_taps_on_the_time_queue_one_post(chat, core, fake_reddit):
    user = await connected_creator(core, fake_reddit)
    fake_reddit.add_sub("pics")
    await to_rule_check(chat)
    await chat.send("r/pics")
    queue = chat.button("Queue for")
    await asyncio.gather(chat.chat.press_button(queue), chat.chat.press_button(queue))
    assert len(await PostingService(core).list_jobs(user.id)) == 1
    assert sum("Your post is queued" in text for text in chat.texts) == 1
    assert common.SOMETHING_WENT_WRONG not in chat.texts


async def test_commands_wait_while_another_process_is_queuing_the_post(chat, core, fake_reddit):
    user = await connected_creator(core, fake_reddit)
    fake_reddit.add_sub("pics")
    await to_rule_check(chat)
    await chat.send("r/pics")
    async with core.db.session() as session:  # another process claimed it just now
        row = (await session.scalars(select(ConversationState))).one()
        row.step = "queuing"
        row.updated_at = core.clock.now()
    assert (await chat.send("/cancel")).text == t.STILL_QUEUING
    assert (await chat.press("Queue for")).text == t.STILL_QUEUING
    assert await PostingService(core).list_jobs(user.id) == []


async def test_help_lists_the_tutorial(chat):
    assert t.HELP_LINE in (await chat.send("/help")).text
