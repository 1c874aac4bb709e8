"""Whole journeys on Discord, as on Telegram: the real discord.py client against the
fake Discord (and asyncpraw against the fake Reddit), a person typing in a DM,
attaching photos and pressing the buttons the bot drew, or in a server channel
answering through the modal. What the test reads is what went over the wire."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from bot.conversation.replies import fit_label
from core.help import ARTICLES, CATEGORIES, rank
from core.posting.service import PostingService, TargetSpec
from core.reddit.client import Credentials
from core.reddit.types import PostRequest
from core.texts import captions as ct
from core.texts import common, shield
from core.texts import help as ht
from core.texts import reddit as rt
from core.texts import schedule as st
from core.texts import settings as sett
from core.texts import voice as vt
from core.users import Who
from tests.fakes.discord import Call
from tests.fakes.discord_user import DiscordUser, content, is_private, labels
from tests.fakes.photos import camera_photo, has_camera_metadata

DESCRIPTION = "red dress on a rooftop at sunset"
MORE = common.NEXT_PAGE.split("{")[0].strip()


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.fixture
def alice(fake_discord) -> DiscordUser:
    return DiscordUser(fake_discord)


async def _with_reddit(core, fake_reddit, user_id: int = 42):
    """A Discord creator, onboarded, with Reddit account u/alice connected."""
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("discord", str(user_id), "Alice"))
        await core.users.mark_onboarded(session, user)
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        account = await core.reddit.accounts.save(session, user.id, "alice", creds,
                                                  auth_kind="token")
        return user, account


def within_discord_limits(call: Call) -> None:
    """What Discord accepts in one message: 2000 characters, 5 rows, 5 buttons or one
    select a row, 25 options, custom_id up to 100, labels up to 80."""
    body = call.body if isinstance(call.body, dict) else {}
    rows = body.get("components") or []
    assert len(content(call)) <= 2000
    assert 1 <= len(rows) <= 5
    for row in rows:
        items = row["components"]
        assert 1 <= len(items) <= 5
        assert len(items) == 1 or all(c["type"] == 2 for c in items)
        for c in items:
            assert c.get("url") or 1 <= len(c["custom_id"]) <= 100
            assert len(c.get("label") or "") <= 80
            assert len(c.get("options") or []) <= 25


def edits_of(fake_discord, call: Call) -> list[Call]:
    message_id = call.result["id"]
    return [c for c in fake_discord.calls
            if c.method == "PATCH" and c.path.endswith(f"/messages/{message_id}")]


# -- /caption -------------------------------------------------------------------------
async def test_caption_describe_write_and_use_an_option_in_a_dm(fake_discord, discord_bot,
                                                                alice):
    await alice.command("caption")
    await alice.expect(ct.ASK_DESCRIPTION)
    await alice.say(DESCRIPTION)
    setup = await alice.expect(DESCRIPTION)
    await alice.tap(setup, ct.WRITE)
    progress = await alice.expect(ct.STAGES["analyzing"])
    options = await alice.expect("1. ")
    edits = edits_of(fake_discord, progress)
    assert [content(e) for e in edits[:2]] == [ct.STAGES["writing"], ct.STAGES["polishing"]]
    assert edits[-1] is options  # the progress message became the options
    titles = re.findall(r"^\d\. (.+)$", content(options), flags=re.MULTILINE)
    assert len(titles) == 3
    assert ct.USE.format(n=1) in labels(options)
    await alice.tap(options, ct.USE.format(n=1))
    used = await alice.expect(titles[0])
    assert content(used).endswith(titles[0])
    assert labels(used)[0] == ct.POST_THIS


async def test_caption_in_a_server_channel_answers_privately_through_the_modal(
        fake_discord, discord_bot):
    bob = DiscordUser(fake_discord, guild=True)
    await bob.command("caption")
    await bob.expect(ct.ASK_DESCRIPTION)
    await bob.say(DESCRIPTION)
    setup = await bob.expect(DESCRIPTION)
    await bob.tap(setup, ct.WRITE)
    options = await bob.expect("1. ")
    await bob.tap(options, ct.USE.format(n=2))
    title = re.findall(r"^2\. (.+)$", content(options), flags=re.MULTILINE)[0]
    used = await bob.expect(title)
    for call in (setup, used):
        assert is_private(call)  # ephemeral: only Bob sees it


# -- /protect -------------------------------------------------------------------------
@pytest.mark.parametrize("guild", [False, True], ids=["dm", "server"])
async def test_protect_a_photo_comes_back_as_a_protected_attachment_without_exif(
        fake_discord, discord_bot, guild):
    alice = DiscordUser(fake_discord, guild=guild)
    original = camera_photo()
    await alice.send_photo(original)
    offered = await alice.expect(common.UPLOAD_WHAT_NEXT)
    await alice.tap(offered, shield.UPLOAD_LABEL)
    levels = await alice.expect(shield.PICK_LEVEL)
    await alice.tap(levels, shield.LEVEL_NAMES["standard"])
    result = await alice.expect("Hash match 100% →")
    [(filename, data)] = result.files.items()
    assert filename.endswith((".jpg", ".jpeg"))
    assert data != original
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.size[0] > 400
    assert not has_camera_metadata(data)
    [attachment] = result.result["attachments"]  # the message carries the file
    assert fake_discord.cdn[attachment["url"].split("?")[0].rsplit("/", 1)[-1]] == data
    assert is_private(result) is guild  # private in a server


async def test_protect_progress_edits_one_message_until_done(fake_discord, discord_bot, alice):
    await alice.command("protect")
    await alice.expect(shield.ASK_PHOTO)
    await alice.send_photo(camera_photo())
    levels = await alice.expect(shield.PICK_LEVEL)
    await alice.tap(levels, shield.LEVEL_NAMES["light"])
    progress = await alice.expect(shield.STAGE_READING)
    await alice.expect("Hash match 100% →")
    assert [content(e) for e in edits_of(fake_discord, progress)] == [
        shield.STAGE_WORKING.format(level="Light"), shield.STAGE_DONE]


# -- /voice ---------------------------------------------------------------------------
async def test_voice_tone_is_changed_through_the_paged_picker(fake_discord, discord_bot,
                                                              alice):
    await alice.command("voice")
    card = await alice.expect("Tone: Playful")
    await alice.tap(card, vt.TONE_BUTTON)
    first = await alice.expect(vt.PICK_TONE)
    within_discord_limits(first)
    [more] = [label for label in labels(first) if label.startswith(MORE)]
    await alice.tap(first, more)
    second = await alice.expect(vt.PICK_TONE)
    within_discord_limits(second)
    assert common.PREV_PAGE in labels(second)
    new = [label for label in labels(second)
           if label not in labels(first) and not label.startswith(("ℹ️", "✓", MORE))
           and label != common.PREV_PAGE]
    assert new  # the second page has tones the first did not show
    await alice.tap(second, new[0])
    saved = await alice.expect(vt.SAVED)
    assert f"Tone: {new[0]}" in content(saved)
    await alice.command("voice")
    again = await alice.expect("Tone:")
    assert f"Tone: {new[0]}" in content(again)


# -- /post ----------------------------------------------------------------------------
async def test_post_a_text_post_now_puts_it_on_reddit_and_links_it(
        fake_discord, discord_bot, alice, core, fake_reddit):
    await _with_reddit(core, fake_reddit)
    fake_reddit.add_sub("CasualConversation")
    await alice.command("post")
    ask = await alice.expect(rt.ASK_MEDIA)
    await alice.tap(ask, rt.TEXT_POST)
    await alice.expect(rt.ASK_TEXT_BODY)
    await alice.say("Some words about my Sunday.")
    await alice.expect(rt.ASK_TITLE)
    await alice.say("Sunday thoughts")
    await alice.expect(rt.ASK_SUBREDDITS.split("?")[0])
    await alice.say("r/CasualConversation")
    so_far = await alice.expect(rt.SUBS_SO_FAR.split("{")[0])
    await alice.tap(so_far, rt.DONE)
    ready = await alice.expect(rt.READY.split("\n")[0])
    assert "Sunday thoughts" in content(ready)
    await alice.tap(ready, rt.POST_NOW)
    live = await alice.expect("Live on r/CasualConversation")
    [post] = fake_reddit.posts
    assert (post.kind, post.title, post.author) == ("self", "Sunday thoughts", "alice")
    assert post.data["text"] == "Some words about my Sunday."
    assert f"{fake_reddit.url}/r/CasualConversation/comments/{post.id}/" in content(live)


# -- /queue, /settings, /help ---------------------------------------------------------
async def test_queue_pages_within_discord_limits_and_posts_one_now(
        fake_discord, discord_bot, alice, core, fake_reddit):
    user, account = await _with_reddit(core, fake_reddit)
    async with core.db.session() as session:  # a plan with room for several posts a day
        (await core.users.get(session, user.id)).tier = "pro"
    fake_reddit.add_sub("pics")
    for n in range(6):
        await PostingService(core).create_job(
            user_id=user.id, account_id=account.id,
            request=PostRequest("pics", "text", f"Post {n}", body="hello"),
            targets=[TargetSpec("pics", f"Post {n}")],
            due_at=core.clock.now() + timedelta(hours=n + 1))
    await alice.command("queue")
    first = await alice.expect(st.QUEUE_HEADER.format(n=6))
    within_discord_limits(first)
    [more] = [label for label in labels(first) if label.startswith(MORE)]
    await alice.tap(first, more)
    second = await alice.expect(st.QUEUE_HEADER.format(n=6))
    within_discord_limits(second)
    jobs = [label for label in (*labels(first), *labels(second)) if label.startswith("#")]
    assert len(set(jobs)) == 6
    await alice.tap(second, next(label for label in labels(second) if label.startswith("#")))
    job = await alice.expect("“Post ")
    await alice.tap(job, st.QUEUE_POST_NOW)
    await alice.expect("Live on r/pics")
    [post] = fake_reddit.posts
    assert post.title.startswith("Post ")


@pytest.mark.parametrize("guild", [False, True], ids=["dm", "server"])
async def test_settings_card_has_pressable_components_within_discord_limits(
        fake_discord, discord_bot, guild):
    carol = DiscordUser(fake_discord, guild=guild)
    await carol.command("settings")
    card = await carol.expect(sett.CARD.split("\n")[0])
    within_discord_limits(card)
    assert sett.ADULT_OFF in labels(card)
    protect = next(label for label in labels(card) if label.startswith("🛡"))
    await carol.tap(card, protect)
    levels = await carol.expect(sett.PICK_LEVEL)
    within_discord_limits(levels)
    await carol.tap(levels, shield.LEVEL_NAMES["heavy"])
    saved = await carol.expect(sett.CARD.split("\n")[0])
    assert "Protect photos before posting: Heavy" in content(saved)
    assert sett.PROTECT_BUTTON.format(level="Heavy") in labels(saved)


@pytest.mark.parametrize("guild", [False, True], ids=["dm", "server"])
async def test_help_lists_commands_and_opens_a_topic_within_discord_limits(
        fake_discord, discord_bot, guild):
    dave = DiscordUser(fake_discord, guild=guild)
    await dave.command("help")
    menu = await dave.expect(common.HELP_HEADER)
    within_discord_limits(menu)
    assert "/caption" in content(menu)
    topic = CATEGORIES[0]
    await dave.tap(menu, topic)
    opened = await dave.expect(ht.TOPIC.format(category=topic))
    within_discord_limits(opened)
    article = next(a for a in ARTICLES if a.category == topic)
    await dave.tap(opened, fit_label(article.title))
    shown = await dave.expect(article.body[:40])
    assert content(shown).startswith(article.title)
    within_discord_limits(shown)


async def test_help_with_words_answers_with_the_best_article(fake_discord, discord_bot, alice):
    question = "how do I protect a photo"
    best = rank(question, limit=1)[0].article
    await alice.command("help", question)
    found = await alice.expect(best.title)
    assert best.body[:40] in content(found)
    assert ht.ALL_TOPICS in labels(found)
