"""The whole first-post journey through the real libraries.

python-telegram-bot polls the fake Bot API; the web companion runs Reddit's OAuth flow
against the fake Reddit; asyncpraw checks the subreddit's rules and posts. The creator
connects an account, gets a missing tag and NSFW mark fixed, picks the required flair
and posts an image.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from tests.fakes.reddit import make_jpeg
from tests.fakes.telegram_user import TelegramUser


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _open_in_browser(web: TestClient, link: str) -> str:
    """Follow the connect link through Reddit's consent page back to our callback."""
    parts = urlsplit(link)
    confirm = await web.get(f"{parts.path}?{parts.query}")
    assert "on Telegram" in await confirm.text()
    token = parse_qs(parts.query)["t"][0]
    resp = await web.post(parts.path, data={"t": token}, allow_redirects=False)
    async with aiohttp.ClientSession() as reddit_tab:
        consent = await reddit_tab.get(resp.headers["Location"], allow_redirects=False)
    back = urlsplit(consent.headers["Location"])
    page = await web.get(f"{back.path}?{back.query}")
    return await page.text()


async def test_connect_then_post_an_nsfw_image_with_fixed_tag_and_flair(
    fake_telegram, telegram_bot, fake_reddit, web
):
    fake_reddit.add_sub(
        "GoneTest", about={"over18": True},
        requirements={"is_flair_required": True, "title_required_strings": ["[F]"]},
        flairs=[{"flair_template_id": "flair-pic", "flair_text": "Pic"},
                {"flair_template_id": "flair-set", "flair_text": "Set"}],
    )
    alice = TelegramUser(fake_telegram)

    await alice.say("/start")
    await alice.tap(await alice.expect("Hi Alice"), "NSFW (18+)")
    await alice.tap(await alice.expect("18"), "Yes, I confirm")
    await alice.expect("Adult features are on")

    await alice.say("/connect")
    intro = await alice.expect("connect a Reddit account")
    page = await _open_in_browser(web, alice.url_of(intro, "Connect Reddit"))
    assert "u/alice is now connected" in page

    await alice.say("/post")
    await alice.expect("What are we posting?")
    await alice.send_photo(make_jpeg())
    await alice.expect("Got it (1 photo)")
    await alice.say("Sunday vibes")
    await alice.expect("subreddit")
    await alice.say("r/GoneTest")
    await alice.tap(await alice.expect("So far: r/gonetest"), "Done")
    fixed = await alice.expect("fixed it for you")
    assert "[F]" in fixed.params["text"]
    assert "NSFW" in fixed.params["text"]
    await alice.tap(await alice.expect("needs a flair"), "Pic")
    ready = await alice.expect("Ready to post")
    assert "[F] Sunday vibes" in ready.params["text"]
    await alice.tap(ready, "Post now")
    live = await alice.expect("Live on r/GoneTest")

    [post] = fake_reddit.posts
    assert post.id in live.params["text"]
    assert (post.kind, post.title, post.author) == ("image", "[F] Sunday vibes", "alice")
    assert (post.data["nsfw"], post.data["flair_id"]) == ("true", "flair-pic")
