"""/post through the in-process chat driver, the real asyncpraw and the fake Reddit."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.console import ConsoleChannel
from bot.conversation.replies import MessageRef, Reply
from core import claims
from core.captions.service import Usage
from core.db.models import ConversationState
from core.posting.budget import ApiBudgetLedger
from core.reddit.client import Credentials
from core.reddit.models import RedditPost
from core.texts import common
from core.texts import reddit as reddit_texts
from core.texts import schedule as schedule_texts
from tests.fakes.chat import ChatDriver, another_creator_says_hi
from tests.fakes.reddit import make_jpeg


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _adult_with_account(chat, core, fake_reddit, *names):
    await chat.send("/start")
    await chat.press("NSFW")
    await chat.press("Yes, I confirm")
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        if len(names) > 1:
            user.tier = "premium"  # the free plan connects one Reddit account
        for name in names or ("alice",):
            creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token(name))
            await core.reddit.accounts.save(session, user.id, name, creds, auth_kind="token")


def _strict_nsfw_sub(fake_reddit):
    return fake_reddit.add_sub(
        "GoneTest",
        about={"over18": True},
        requirements={"is_flair_required": True, "title_required_strings": ["[F]"]},
        flairs=[{"flair_template_id": "flair-pic", "flair_text": "Pic"},
                {"flair_template_id": "flair-set", "flair_text": "Set"}],
    )


async def test_photo_post_fixes_tag_and_nsfw_asks_flair_and_posts(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    _strict_nsfw_sub(fake_reddit)
    await chat.send("/post")
    await chat.upload(make_jpeg())
    await chat.send("Sunday vibes")
    await chat.send("r/GoneTest")
    reply = await chat.press("Done")
    assert "needs a flair" in reply.text
    fixed = next(text for text in chat.texts if "fixed it for you" in text)
    assert "[F]" in fixed
    assert "NSFW" in fixed
    reply = await chat.press("Pic")
    assert "Ready to post" in reply.text
    assert "[F] Sunday vibes" in reply.text
    reply = await chat.press("Post now")
    post = fake_reddit.posts[-1]
    assert reply.text == f"Live on r/GoneTest: {fake_reddit.url}/r/GoneTest/comments/{post.id}/"
    assert post.title == "[F] Sunday vibes"
    assert (post.data["nsfw"], post.data["flair_id"]) == ("true", "flair-pic")


async def test_post_without_account_points_to_connect(chat):
    reply = await chat.send("/post")
    assert "/connect" in reply.text
    assert reply.buttons
    assert reply.buttons[0].url


async def test_text_post_to_images_only_sub_asks_for_a_photo_instead(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("PhotosOnly", about={"submission_type": "link"})
    reply = await _text_post_to(chat, "A title here", "PhotosOnly")
    assert "images only" in reply.text
    reply = await chat.upload(make_jpeg())
    assert "Ready to post" in reply.text
    await chat.press("Post now")
    assert fake_reddit.posts[-1].kind == "image"


async def test_blocked_subreddit_is_explained_and_nothing_is_posted(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("TextOnly", about={"submission_type": "self"})
    await chat.send("/post")
    await chat.upload(make_jpeg())
    await chat.send("My photo")
    await chat.send("r/TextOnly")
    await chat.press("Done")
    assert any("can't post here" in text and "text posts only" in text for text in chat.texts)
    assert "can't post this anywhere" in chat.last.text
    assert fake_reddit.posts == []


async def test_second_post_to_same_sub_warns_about_cooldown(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    for title in ("First", "Second"):
        await chat.send("/post")
        await chat.upload(make_jpeg(color=(len(title) * 20, 0, 0)))
        await chat.send(title)
        await chat.send("pics")
        await chat.press("Done")
        if title == "First":
            await chat.press("Post now")
    assert "posted here from this account recently" in chat.last.text
    await chat.press("Post anyway")
    reply = await chat.press("Post now")
    assert reply.text.startswith("Live on r/pics")
    assert len(fake_reddit.posts) == 2


async def test_several_accounts_ask_which_one_posts(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit, "alice", "bob")
    fake_reddit.add_sub("pics")
    await chat.send("/post")
    await chat.send("https://example.com/page")
    await chat.send("Look at this")
    await chat.send("pics")
    reply = await chat.press("Done")
    assert [b.label for b in reply.buttons] == ["u/alice", "u/bob"]
    await chat.press("u/bob")
    await chat.press("Post now")
    assert fake_reddit.posts[-1].author == "bob"
    assert fake_reddit.posts[-1].data["url"] == "https://example.com/page"


async def test_a_file_that_is_not_a_photo_is_refused_at_once(chat, core, fake_reddit):
    """A PDF or a video sent as a file is said at once, not taken as "photo 1" and
    found out at the end (or, unprotected, uploaded to Reddit as x.jpg)."""
    await _adult_with_account(chat, core, fake_reddit)
    await chat.send("/post")

    reply = await chat.upload(b"%PDF-1.7 not a photo", "menu.pdf", "application/pdf",
                              photo=False)

    assert reply.text == reddit_texts.NOT_A_PHOTO
    reply = await chat.upload(make_jpeg())
    assert "Got it (1 photo)" in reply.text


async def test_revoked_account_tells_the_user_how_to_reconnect(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    fake_reddit.revoke_all("alice")
    await chat.send("/post")
    await chat.upload(make_jpeg())
    await chat.send("Title")
    await chat.send("pics")
    await chat.press("Done")
    assert any("revoked" in text and "/connect" in text for text in chat.texts)
    assert fake_reddit.posts == []


# -- buttons while fixing, stale buttons ------------------------------------------------
def _sub_needing_a_tag(fake_reddit, name):
    return fake_reddit.add_sub(name, requirements={"title_required_strings": ["[F]", "[M]"]})


def _sub_needing_a_flair(fake_reddit, name, flairs=("Pic", "Set")):
    return fake_reddit.add_sub(
        name, requirements={"is_flair_required": True},
        flairs=[{"flair_template_id": f"flair-{f.lower()}", "flair_text": f} for f in flairs])


async def _text_post_to(chat, title, subs):
    await chat.send("/post")
    await chat.press("Text post")
    await chat.send("Some words")
    await chat.send(title)
    await chat.send(subs)
    return await chat.press("Done")


async def _photo_post_to(chat, title, subs):
    await chat.send("/post")
    await chat.upload(make_jpeg())
    await chat.send(title)
    await chat.send(subs)
    return await chat.press("Done")


async def test_skip_while_asked_for_a_new_title_skips_that_subreddit(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("Wordy", requirements={"title_text_min_length": 30})
    fake_reddit.add_sub("pics")
    reply = await _photo_post_to(chat, "Short", "Wordy pics")
    assert "Write a new title" in reply.text
    reply = await chat.press("Skip r/Wordy")
    assert reply.text == "Ready to post:\n• r/pics: “Short”"
    await chat.press("Post now")
    assert [p.subreddit for p in fake_reddit.posts] == ["pics"]


async def test_skip_while_asked_for_a_photo_skips_that_subreddit(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("PhotosOnly", about={"submission_type": "link"})
    fake_reddit.add_sub("pics")
    reply = await _text_post_to(chat, "A title here", "PhotosOnly pics")
    assert "images only" in reply.text
    reply = await chat.press("Skip r/PhotosOnly")
    assert reply.text == "Ready to post:\n• r/pics: “A title here”"
    await chat.press("Post now")
    assert [(p.subreddit, p.kind) for p in fake_reddit.posts] == [("pics", "self")]


async def test_second_tag_button_of_an_answered_question_has_expired(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    _sub_needing_a_tag(fake_reddit, "TagA")
    _sub_needing_a_tag(fake_reddit, "TagB")
    question = await _photo_post_to(chat, "Sunday", "TagA TagB")
    assert question.text.startswith("r/TagA needs one of these")
    await chat.press("[F]")
    assert chat.last.text.startswith("r/TagB needs one of these")
    other_tag = next(b for b in question.buttons if b.label == "[M]")
    reply = await chat.press_payload(other_tag.payload)
    assert reply.text == common.BUTTON_EXPIRED


async def test_flair_button_from_an_earlier_post_cannot_act_on_another_subreddit(
        chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    _sub_needing_a_flair(fake_reddit, "Flairy")
    _sub_needing_a_tag(fake_reddit, "TagA")
    await _photo_post_to(chat, "One", "Flairy")
    old_flair = chat.button("Pic")
    await chat.send("/cancel")
    question = await _photo_post_to(chat, "Two", "TagA")
    assert question.text.startswith("r/TagA needs one of these")
    reply = await chat.press_payload(old_flair.payload)
    assert reply.text == common.BUTTON_EXPIRED


async def test_button_for_a_target_the_current_post_lacks_has_expired(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    _sub_needing_a_flair(fake_reddit, "Flairy")
    _sub_needing_a_tag(fake_reddit, "TagA")
    question = await _photo_post_to(chat, "One", "pics Flairy")  # Flairy is target #2
    assert question.text.startswith("r/Flairy needs a flair")
    old_flair = chat.button("Pic")
    await chat.send("/cancel")
    await _photo_post_to(chat, "Two", "TagA")  # one target only
    reply = await chat.press_payload(old_flair.payload)
    assert reply.text == common.BUTTON_EXPIRED


async def test_flair_button_beyond_the_current_flairs_has_expired(
        chat, core, fake_reddit, clock):
    await _adult_with_account(chat, core, fake_reddit)
    sub = _sub_needing_a_flair(fake_reddit, "Flairy", flairs=("Pic", "Set", "Gif"))
    await _photo_post_to(chat, "One", "Flairy")
    old_third = chat.button("Gif")
    await chat.send("/cancel")
    sub.flairs = sub.flairs[:2]
    clock.advance(timedelta(hours=25))  # past the rules cache: the new flair list is fetched
    question = await _photo_post_to(chat, "Two", "Flairy")
    assert [b.label for b in question.buttons][:2] == ["Pic", "Set"]
    reply = await chat.press_payload(old_third.payload)
    assert reply.text == common.BUTTON_EXPIRED


# -- posting to several subreddits -------------------------------------------------------
async def test_failure_on_one_subreddit_keeps_the_others_and_retry_posts_only_the_rest(
        chat, core, fake_reddit, clock):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    fake_reddit.add_sub("selfie")
    await _photo_post_to(chat, "Sunday vibes", "pics selfie")
    fake_reddit.fail_next_submit_to["selfie"] = [
        "RATELIMIT", "you are doing that too much. try again in 5 minutes.", "ratelimit"]
    await chat.press("Post now")
    assert any(text.startswith("Live on r/pics") for text in chat.texts)
    assert any(text.startswith("r/selfie: not posted") for text in chat.texts)
    assert [p.subreddit for p in fake_reddit.posts] == ["pics"]
    assert (await chat.press("Post now")).text == schedule_texts.WAITING_REST  # still paused
    assert [p.subreddit for p in fake_reddit.posts] == ["pics"]
    clock.advance(timedelta(minutes=5, seconds=1))  # the account's RATELIMIT pause is over
    reply = await chat.press("Post now")
    assert reply.text.startswith("Live on r/selfie")
    assert [p.subreddit for p in fake_reddit.posts] == ["pics", "selfie"]


class _ChannelFailingOn(ConsoleChannel):
    """A chat that refuses one message, as Telegram does when rate limiting (429)."""

    def __init__(self, prefix: str) -> None:
        super().__init__(out=lambda _line: None)
        self.prefix = prefix

    async def send(self, reply: Reply) -> MessageRef:
        if reply.text.startswith(self.prefix):
            raise RuntimeError("429 Too Many Requests: retry after 3")
        return await super().send(reply)


async def test_undeliverable_report_neither_stops_posting_nor_allows_a_second_post(
        core, dispatcher, fake_reddit):
    chat = ChatDriver(dispatcher, channel=_ChannelFailingOn("Live on r/pics"))
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    fake_reddit.add_sub("selfie")
    await _photo_post_to(chat, "Sunday vibes", "pics selfie")
    reply = await chat.press("Post now")
    assert reply.text.startswith("Live on r/selfie")
    reply = await chat.press_payload(chat.button("Post now").payload)
    assert reply.text == common.BUTTON_EXPIRED
    assert [p.subreddit for p in fake_reddit.posts] == ["pics", "selfie"]


@pytest.mark.both_backends
async def test_two_concurrent_presses_of_post_now_post_once(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _photo_post_to(chat, "Sunday vibes", "pics")
    post_now = chat.button("Post now")
    await asyncio.gather(chat.chat.press_button(post_now), chat.chat.press_button(post_now))
    assert len(fake_reddit.posts) == 1
    assert sum(text.startswith("Live on r/pics") for text in chat.texts) == 1
    assert common.SOMETHING_WENT_WRONG not in chat.texts


async def _mark_posting_elsewhere(core):
    """Another process has claimed this conversation's posting run, just now."""
    async with core.db.session() as session:
        row = (await session.scalars(select(ConversationState))).one()
        row.step = "posting"
        row.updated_at = core.clock.now()


async def test_commands_wait_while_another_process_is_posting(chat, core, fake_reddit, clock):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _photo_post_to(chat, "Sunday vibes", "pics")
    await _mark_posting_elsewhere(core)
    for command in ("/cancel", "/caption"):
        reply = await chat.send(command)
        assert reply.text == reddit_texts.STILL_POSTING
    async with core.db.session() as session:
        row = (await session.scalars(select(ConversationState))).one()
    assert (row.flow, row.step) == ("post", "posting")


async def test_a_posting_run_that_died_can_be_cancelled_within_seconds(
        chat, core, fake_reddit, clock):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _photo_post_to(chat, "Sunday vibes", "pics")
    await _mark_posting_elsewhere(core)  # ...and that process crashed: no more beats
    clock.advance(claims.STALE_AFTER + timedelta(seconds=1))
    reply = await chat.send("/cancel")
    assert reply.text == common.CANCELLED


async def test_a_slow_live_run_keeps_its_claim_by_beating(chat, core, fake_reddit, clock):
    """An upload that takes minutes is not mistaken for a dead run: /cancel waits."""
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _photo_post_to(chat, "Sunday vibes", "pics")
    fake_reddit.holds["lease"] = asyncio.Event()
    fake_reddit.arrived["lease"] = asyncio.Event()
    posting = asyncio.create_task(chat.press("Post now"))
    try:
        await asyncio.wait_for(fake_reddit.arrived["lease"].wait(), timeout=60)
        for _ in range(12):  # a minute of fake time, one beat at a time
            clock.advance(claims.BEAT_EVERY)
            await _beaten(core, clock.now())
        assert (await chat.send("/cancel")).text == reddit_texts.STILL_POSTING
    finally:
        fake_reddit.holds["lease"].set()
    assert (await posting).text.startswith("Live on r/pics")
    assert len(fake_reddit.posts) == 1


@pytest.mark.both_backends
async def test_post_now_after_a_crash_mid_submit_takes_over_and_posts_once(
        chat, core, fake_reddit, clock):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _photo_post_to(chat, "Sunday vibes", "pics")
    fake_reddit.lose_reply.add("submit")  # Reddit takes the post; the run never hears back
    fake_reddit.outage.add("submitted")
    await chat.press("Post now")
    await _mark_posting_elsewhere(core)  # a second run claimed it, then its process died
    fake_reddit.lose_reply.clear()
    fake_reddit.outage.clear()
    clock.advance(max(claims.STALE_AFTER, _settle(core)) + timedelta(seconds=1))
    reply = await chat.press_payload(chat.button("Post now").payload)
    assert "already live" in reply.text
    assert len(fake_reddit.posts) == 1


def _settle(core):
    """How long the posting engine waits after an uncertain try before it looks on
    Reddit and tries again (a request still in flight has landed or failed by then)."""
    ps = core.settings.posting
    return timedelta(seconds=max(ps.settle_seconds, ps.lease_seconds))


async def _beaten(core, when):
    """Wait (ceiling 60 s) until the run's heartbeat has stamped `when` on the row."""
    async with asyncio.timeout(60):
        while True:
            async with core.db.read() as session:
                row = (await session.scalars(select(ConversationState))).one()
                if row.updated_at >= when:
                    return
            await asyncio.sleep(0.01)


# -- titles from the caption engine -------------------------------------------------------
def _suggested_titles(text: str) -> list[str]:
    return [line.split(". ", 1)[1] for line in text.splitlines()
            if line[:1].isdigit() and ". " in line]


async def test_suggest_titles_offers_three_engine_captions_to_pick(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    await chat.send("/post")
    await chat.upload(make_jpeg())
    reply = await chat.press("Suggest titles")
    assert len(_suggested_titles(reply.text)) == 3
    assert [b.label for b in reply.buttons][:3] == ["Use 1", "Use 2", "Use 3"]
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        assert await core.captions.usage(session, user) == Usage(used=1, limit=5)


async def test_suggested_title_gets_the_tag_the_chosen_subreddit_requires(
        chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("TagOnly", requirements={"title_required_strings": ["[F]"]})
    await chat.send("/post")
    await chat.upload(make_jpeg())
    suggested = _suggested_titles((await chat.press("Suggest titles")).text)
    reply = await chat.press("Use 2")
    assert "Where to?" in reply.text
    await chat.send("TagOnly")
    reply = await chat.press("Done")
    assert f"[F] {suggested[1]}" in reply.text
    await chat.press("Post now")
    assert fake_reddit.posts[-1].title == f"[F] {suggested[1]}"


async def test_a_title_can_still_be_typed_after_suggestions(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await chat.send("/post")
    await chat.upload(make_jpeg())
    await chat.press("Suggest titles")
    await chat.send("My own words")
    await chat.send("pics")
    reply = await chat.press("Done")
    assert reply.text == "Ready to post:\n• r/pics: “My own words”"


async def test_use_button_of_an_earlier_batch_has_expired(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    await chat.send("/post")
    await chat.upload(make_jpeg())
    await chat.press("Suggest titles")
    old_first = chat.button("Use 1")
    await chat.press("Other titles")
    reply = await chat.press_payload(old_first.payload)
    assert reply.text == common.BUTTON_EXPIRED


async def test_unsafe_photo_caption_gets_no_suggestions_but_a_kind_refusal(
        chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    await chat.send("/post")
    await chat.upload(make_jpeg(), caption="16 year old in a bikini")
    reply = await chat.press("Suggest titles")
    assert "under 18" in reply.text
    assert "write your own title" in reply.text
    assert not any(b.label.startswith("Use ") for b in reply.buttons)


async def test_caption_quota_reached_explains_and_leaves_typing_open(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    await chat.send("/post")
    await chat.upload(make_jpeg())
    await chat.press("Suggest titles")
    for _ in range(4):
        await chat.press("Other titles")
    reply = await chat.press("Other titles")
    assert "today's 5 caption requests" in reply.text
    assert "write your own title" in reply.text
    reply = await chat.send("Typed anyway")
    assert "Where to?" in reply.text


# -- Reddit having trouble ----------------------------------------------------------------
async def test_rules_outage_on_a_starter_subreddit_checks_saved_rules_and_says_so(
        chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("selfie")
    fake_reddit.outage = {"about"}
    reply = await _photo_post_to(chat, "Sunday vibes", "selfie")
    assert fake_reddit.requests["about"] >= 1
    assert reddit_texts.RULES_SAVED.format(sub="selfie") in chat.texts
    assert reply.text == "Ready to post:\n• r/selfie: “Sunday vibes”"


async def test_rules_outage_on_an_unknown_subreddit_is_explained_and_skipped(
        chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("NicheSub")
    fake_reddit.outage = {"about"}
    reply = await _photo_post_to(chat, "Sunday vibes", "NicheSub")
    trouble = reddit_texts.ERRORS["reddit_unavailable"]
    assert f"r/nichesub: not posted. {trouble}" in chat.texts
    assert reply.text == reddit_texts.ALL_BLOCKED
    assert fake_reddit.posts == []


async def test_with_the_reddit_budget_spent_an_unknown_subreddit_is_not_fetched_and_waits(
        chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("NicheSub")
    await ApiBudgetLedger.for_core(core).reserve(core.settings.posting.reddit_requests_per_minute)
    reply = await _photo_post_to(chat, "Sunday vibes", "NicheSub")
    busy = reddit_texts.error("reddit_busy", {"seconds": 60})
    assert f"r/nichesub: not posted. {busy}" in chat.texts
    assert reply.text == reddit_texts.ALL_BLOCKED
    assert fake_reddit.requests["about"] == 0


@pytest.mark.parametrize("status", [500, 503])
async def test_submit_outage_is_explained_not_recorded_and_post_now_retries_once(
        chat, core, fake_reddit, status, clock):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _photo_post_to(chat, "Sunday vibes", "pics")
    fake_reddit.outage, fake_reddit.outage_status = {"submit"}, status
    reply = await chat.press("Post now")
    trouble = reddit_texts.ERRORS["reddit_unavailable"]
    assert f"r/pics: not posted. {trouble}" in chat.texts
    assert reply.text == schedule_texts.WAITING_ALL  # queued: it goes out by itself too
    assert fake_reddit.posts == []
    async with core.db.session() as session:
        assert (await session.scalars(select(RedditPost))).all() == []
    fake_reddit.outage = set()
    clock.advance(_settle(core) + timedelta(seconds=1))  # a 5xx may still land: look first
    reply = await chat.press("Post now")
    assert reply.text.startswith("Live on r/pics")
    assert len(fake_reddit.posts) == 1
    async with core.db.session() as session:
        assert len((await session.scalars(select(RedditPost))).all()) == 1


async def test_menu_buttons_and_text_wait_while_another_process_is_posting(
    chat, core, fake_reddit
):
    await _adult_with_account(chat, core, fake_reddit)
    for _ in range(3):  # the rest of getting started (Reddit, voice, first caption)...
        await chat.press("Skip")
    assert any("Write captions" in b.label for b in chat.last.buttons)  # ...ends on the menu
    fake_reddit.add_sub("pics")
    await _photo_post_to(chat, "Sunday vibes", "pics")
    await _mark_posting_elsewhere(core)
    assert (await chat.press("Write captions")).text == reddit_texts.STILL_POSTING
    assert (await chat.send("hello?")).text == reddit_texts.STILL_POSTING


@pytest.mark.both_backends
async def test_a_retry_after_a_lost_run_finds_the_live_post_instead_of_posting_twice(
    chat, core, fake_reddit, clock
):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _photo_post_to(chat, "Sunday vibes", "pics")
    fake_reddit.lose_reply.add("submit")  # Reddit posts it; the answer never arrives...
    fake_reddit.outage.add("submitted")   # ...and Reddit can't be asked about it just then
    await chat.press("Post now")
    assert len(fake_reddit.posts) == 1
    assert "Post now" in [b.label for b in chat.last.buttons]  # reported as not (yet) live

    fake_reddit.outage.clear()
    fake_reddit.lose_reply.clear()
    clock.advance(_settle(core) + timedelta(seconds=1))  # the lost try has settled: look
    reply = await chat.press("Post now")
    assert "already live" in reply.text
    assert len(fake_reddit.posts) == 1
    async with core.db.session() as session:
        [record] = (await session.scalars(select(RedditPost))).all()
    assert record.reddit_id == fake_reddit.posts[0].id



async def test_other_creators_are_not_held_up_while_a_post_uploads(chat, core, fake_reddit):
    """No transaction stays open across the submit: on SQLite another creator's message
    would otherwise wait for the write lock until Reddit answered."""
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _photo_post_to(chat, "Sunday vibes", "pics")
    fake_reddit.holds["lease"] = asyncio.Event()
    fake_reddit.arrived["lease"] = asyncio.Event()
    posting = asyncio.create_task(chat.press("Post now"))
    try:
        await asyncio.wait_for(fake_reddit.arrived["lease"].wait(), timeout=60)
        await another_creator_says_hi(chat.chat.dispatcher)
        assert not posting.done()
    finally:
        fake_reddit.holds["lease"].set()
    assert (await posting).text.startswith("Live on r/pics")


async def test_other_creators_are_not_held_up_while_rules_are_fetched(chat, core, fake_reddit):
    await _adult_with_account(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    fake_reddit.holds["about"] = asyncio.Event()
    fake_reddit.arrived["about"] = asyncio.Event()
    checking = asyncio.create_task(_photo_post_to(chat, "Sunday vibes", "pics"))
    try:
        await asyncio.wait_for(fake_reddit.arrived["about"].wait(), timeout=60)
        await another_creator_says_hi(chat.chat.dispatcher)
        assert not checking.done()
    finally:
        fake_reddit.holds["about"].set()
    assert "Ready to post" in (await checking).text
