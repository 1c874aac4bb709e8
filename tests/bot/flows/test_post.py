"""/post through the in-process chat driver, the real asyncpraw and the fake Reddit."""

from __future__ import annotations

import pytest

from core.reddit.client import Credentials
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
    await chat.send("/post")
    await chat.press("Text post")
    await chat.send("Some words")
    await chat.send("A title here")
    await chat.send("PhotosOnly")
    reply = await chat.press("Done")
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
