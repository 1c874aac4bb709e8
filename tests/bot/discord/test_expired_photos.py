"""A photo kept in a draft is fetched again when it is posted or scheduled, maybe a day
later, and Discord's CDN URLs expire after about 24 hours. An expired URL is renewed
through Discord (POST /attachments/refresh-urls) and the post goes ahead; a photo
Discord won't renew gets words asking for it again, not the generic apology. The real
discord.py client against the fake Discord, whose CDN expires URLs like Discord's."""

from __future__ import annotations

import pytest

from bot.conversation.events import FileRef
from bot.discord.channel import Downloader, refresher
from core.reddit.client import Credentials
from core.texts import errors
from core.texts import reddit as rt
from core.users import Who
from tests.fakes.discord_user import DiscordUser, content
from tests.fakes.photos import camera_photo

EXPIRED_WORDS = errors.render("discord_photo_expired")


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _ready_photo_post(core, fake_reddit, alice: DiscordUser) -> object:
    """Alice, with Reddit connected, has a photo post to r/pics ready to go."""
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("discord", "42", "Alice"))
        await core.users.mark_onboarded(session, user)
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        await core.reddit.accounts.save(session, user.id, "alice", creds, auth_kind="token")
    fake_reddit.add_sub("pics")
    await alice.command("post")
    await alice.expect(rt.ASK_MEDIA)
    await alice.send_photo(camera_photo())
    await alice.expect(rt.GOT_PHOTO.split("(")[0])
    await alice.say("Rooftop at sunset")
    await alice.expect(rt.ASK_SUBREDDITS.split("?")[0])
    await alice.say("r/pics")
    so_far = await alice.expect(rt.SUBS_SO_FAR.split("{")[0])
    await alice.tap(so_far, rt.DONE)
    return await alice.expect(rt.READY.split("\n")[0])


async def test_a_draft_photo_whose_url_expired_is_refreshed_and_posted(
        fake_discord, discord_bot, core, fake_reddit):
    alice = DiscordUser(fake_discord)
    ready = await _ready_photo_post(core, fake_reddit, alice)
    fake_discord.expire_cdn_urls()  # a day goes by before "Post now"
    await alice.tap(ready, rt.POST_NOW)
    await alice.expect("Live on r/pics")
    [post] = fake_reddit.posts
    assert post.title == "Rooftop at sunset"
    [refresh] = fake_discord.calls_to("POST", "/attachments/refresh-urls")
    assert len(refresh.body["attachment_urls"]) == 1
    assert len(fake_discord.cdn_refused) == 1  # the stale URL, once


async def test_a_draft_photo_discord_wont_renew_asks_for_the_photo_again(
        fake_discord, discord_bot, core, fake_reddit):
    alice = DiscordUser(fake_discord)
    ready = await _ready_photo_post(core, fake_reddit, alice)
    fake_discord.expire_cdn_urls()
    fake_discord.refreshable = False  # e.g. the message with the photo was deleted
    await alice.tap(ready, rt.POST_NOW)
    said = await alice.expect(EXPIRED_WORDS)
    assert errors.GENERIC not in content(said)
    assert fake_reddit.posts == []


async def test_a_url_past_its_expiry_is_renewed_before_it_is_fetched(fake_discord,
                                                                     discord_bot):
    photo = fake_discord.store_attachment(b"x" * 4096, expires_in=-60)
    downloader = Downloader()
    try:
        data = await downloader.download(FileRef("discord", photo["url"]), 8192,
                                         refresher(discord_bot.client.http))
    finally:
        await downloader.close()
    assert data == b"x" * 4096
    [refresh] = fake_discord.calls_to("POST", "/attachments/refresh-urls")
    assert refresh.body == {"attachment_urls": [photo["url"]]}
    assert fake_discord.cdn_refused == []  # the stale URL was never tried
    assert len(fake_discord.cdn_reads) == 1
