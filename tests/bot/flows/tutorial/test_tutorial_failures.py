"""When the tutorial can't queue the post it says why, in the catalogue's words, with
the way on: the connect link, the rule and its fix, the upgrade prompt. Nothing the
creator did is lost: the step stays, and a retry after the fix finishes the post."""

from __future__ import annotations

from bot.app import build_dispatcher
from core.bootstrap import open_core
from core.posting.service import PostingService
from core.texts import reddit as rt
from core.texts import schedule as ts
from core.texts import tutorial as t
from tests.bot.flows.tutorial.conftest import connected_creator, sfw_creator, to_rule_check
from tests.fakes.chat import ChatDriver
from tests.fakes.creators import connected_account
from tests.fakes.photos import camera_photo


async def _jobs(core, user):
    return await PostingService(core).list_jobs(user.id)


async def test_without_a_reddit_account_it_gives_the_connect_link_and_finishes_after(
        chat, core, fake_reddit):
    user = await sfw_creator(core)
    fake_reddit.add_sub("pics")
    intro = await chat.send("/tutorial")
    assert t.INTRO_NO_ACCOUNT in intro.text
    assert intro.buttons[0].url is not None
    await chat.upload(camera_photo())
    await chat.press("Use 1")
    await chat.press("Skip")
    await chat.send("r/pics")
    reason = await chat.press("Queue for")
    assert reason.text == t.NO_ACCOUNT
    assert reason.buttons[0].label == rt.CONNECT_BUTTON
    assert "/connect/reddit" in (reason.buttons[0].url or "") or reason.buttons[0].url
    assert await _jobs(core, user) == []
    await connected_account(core, user, fake_reddit)  # the creator connects on the web
    done = await chat.press("Queue for")
    assert "queued" in done.text
    assert len(await _jobs(core, user)) == 1


async def test_a_rule_that_blocks_the_post_is_named_with_its_fix(chat, core, fake_reddit):
    user = await connected_creator(core, fake_reddit)
    fake_reddit.add_sub("wordsonly", about={"submission_type": "self"})
    fake_reddit.add_sub("pics")
    await to_rule_check(chat)
    reply = await chat.send("r/wordsonly")
    assert t.FAILED_RULE.format(sub="wordsonly", reason=rt.ISSUES["text_only"]) in reply.text
    assert t.FIX_OTHER_SUB in reply.text
    assert "Step 3 of 4" in reply.text  # the question is asked again
    await chat.send("r/pics")
    await chat.press("Queue for")
    [job] = await _jobs(core, user)
    assert job.targets[0].subreddit == "pics"


async def test_a_required_flair_is_picked_from_the_subreddits_own_list(
        chat, core, fake_reddit, clock):
    user = await connected_creator(core, fake_reddit)
    fake_reddit.add_sub("flairy", requirements={"is_flair_required": True},
                        flairs=[{"flair_template_id": "f-pic", "flair_text": "Pic"},
                                {"flair_template_id": "f-oc", "flair_text": "OC"}])
    await to_rule_check(chat)
    ask = await chat.send("r/flairy")
    assert t.FIX_FLAIR.format(sub="flairy") in ask.text
    passed = await chat.press("OC")
    assert t.PASSED.format(sub="flairy") in passed.text
    await chat.press("Queue for")
    [job] = await _jobs(core, user)
    assert job.targets[0].title
    clock.advance(job.due_at - clock.now())
    assert await PostingService(core).run_due() == 1
    [post] = fake_reddit.posts
    assert post.data["flair_id"] == "f-oc"


async def test_a_title_too_short_for_the_subreddit_asks_for_a_new_one(chat, core, fake_reddit):
    user = await connected_creator(core, fake_reddit)
    fake_reddit.add_sub("longtitles", requirements={"title_text_min_length": 40})
    await chat.send("/tutorial")
    await chat.upload(camera_photo())
    await chat.press("Skip")
    await chat.send("Short one")
    await chat.press("Skip")
    ask = await chat.send("r/longtitles")
    reason = rt.issue("title_too_short", {"min": 40})
    assert t.FIX_TITLE.format(sub="longtitles", reason=reason) in ask.text
    passed = await chat.send("A much longer title that fits the rules of this place")
    assert t.PASSED.format(sub="longtitles") in passed.text
    await chat.press("Queue for")
    [job] = await _jobs(core, user)
    assert job.targets[0].title == "A much longer title that fits the rules of this place"


async def test_an_unknown_subreddit_is_explained_and_another_asked_for(chat, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await to_rule_check(chat)
    reply = await chat.send("r/nosuchplace")
    assert "I couldn't read r/nosuchplace's rules" in reply.text
    assert "Step 3 of 4" in reply.text


async def test_a_name_that_cannot_be_a_subreddit_is_refused_kindly(chat, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await to_rule_check(chat)
    assert (await chat.send("r/!!")).text == t.SUB_BAD


async def test_a_file_that_is_not_a_photo_is_refused_and_the_step_stays(chat, core, fake_reddit):
    await connected_creator(core, fake_reddit)
    await chat.send("/tutorial")
    reply = await chat.upload(b"%PDF-1.4", "notes.pdf", "application/pdf", photo=False)
    assert reply.text == t.NOT_A_PHOTO
    assert "Step 1 of 4" in (await chat.upload(camera_photo())).text


async def test_an_unreadable_time_gets_the_schedules_own_words_and_stays_open(
        chat, core, fake_reddit):
    user = await connected_creator(core, fake_reddit)
    fake_reddit.add_sub("pics")
    await to_rule_check(chat)
    await chat.send("r/pics")
    refused = await chat.send("whenever")
    assert refused.text.startswith(ts.WHEN_ERRORS["when_unreadable"].split("{")[0][:12])
    assert await _jobs(core, user) == []
    assert "queued" in (await chat.send("in 3h")).text



async def test_skipping_the_rule_check_ends_without_a_post(chat, core, fake_reddit):
    user = await connected_creator(core, fake_reddit)
    await to_rule_check(chat)
    end = await chat.press("Skip")
    assert t.NOT_QUEUED_SKIPPED in end.text
    assert await _jobs(core, user) == []


async def test_without_reddit_set_up_on_this_server_it_says_so_at_the_end(
        make_settings, database_url, clock):
    async with open_core(make_settings(database_url), clock=clock) as core:
        chat = ChatDriver(build_dispatcher(core))
        user = await sfw_creator(core)
        intro = await chat.send("/tutorial")
        assert intro.text == t.INTRO  # no connect button where Reddit isn't set up
        await to_rule_check(chat)
        await chat.send("r/pics")  # the starter rules still check it
        end = await chat.press("Queue for")
        assert t.REDDIT_OFF in end.text
        assert await _jobs(core, user) == []
