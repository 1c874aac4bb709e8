"""Every post kind through the real asyncpraw against the fake Reddit."""

from __future__ import annotations

from core.reddit.types import MediaItem, PostRequest
from tests.fakes.reddit import make_jpeg


async def _submit(core, account, request):
    async with core.db.session() as session:
        account = await session.merge(account)
        return await core.reddit.submit(session, account, request)


async def test_image_post_is_uploaded_to_reddit_and_returns_the_live_link(
    core, account, fake_reddit, jpeg
):
    fake_reddit.add_sub("pics")
    request = PostRequest("pics", "image", "Golden hour", images=(MediaItem(jpeg, "a.jpg"),))
    result = await _submit(core, account, request)
    assert result.ok, result
    post = fake_reddit.posts[-1]
    assert post.kind == "image"
    assert post.subreddit == "pics"
    assert post.author == "alice"
    assert list(fake_reddit.uploads.values()) == [jpeg]
    assert result.permalink == f"{fake_reddit.url}/r/pics/comments/{post.id}/"


async def test_image_post_carries_nsfw_spoiler_and_flair(core, account, fake_reddit, jpeg):
    fake_reddit.add_sub("gw", flairs=[{"flair_template_id": "f-1", "flair_text": "Pic"}])
    request = PostRequest(
        "gw", "image", "[F] hi", images=(MediaItem(jpeg, "x"),),
        nsfw=True, spoiler=True, flair_id="f-1",
    )
    result = await _submit(core, account, request)
    assert result.ok, result
    data = fake_reddit.posts[-1].data
    assert (data["nsfw"], data["spoiler"], data["flair_id"]) == ("true", "true", "f-1")


async def test_gallery_post_uploads_every_image_with_its_caption(core, account, fake_reddit):
    fake_reddit.add_sub("pics")
    images = tuple(
        MediaItem(make_jpeg((i * 40, 10, 10)), f"{i}.jpg", caption=f"shot {i}") for i in range(3)
    )
    result = await _submit(core, account, PostRequest("pics", "gallery", "Set", images=images))
    assert result.ok, result
    post = fake_reddit.posts[-1]
    assert post.kind == "gallery"
    assert [item["caption"] for item in post.data["items"]] == ["shot 0", "shot 1", "shot 2"]
    assert len(fake_reddit.uploads) == 3
    assert result.reddit_id == post.id


async def test_link_post_submits_the_url(core, account, fake_reddit):
    fake_reddit.add_sub("links")
    request = PostRequest("links", "link", "Read this", url="https://example.com/a")
    result = await _submit(core, account, request)
    assert result.ok, result
    assert fake_reddit.posts[-1].data["url"] == "https://example.com/a"
    assert fake_reddit.posts[-1].data["kind"] == "link"


async def test_text_post_submits_the_body(core, account, fake_reddit):
    fake_reddit.add_sub("talk")
    result = await _submit(core, account, PostRequest("talk", "text", "Hello", body="Long text"))
    assert result.ok, result
    assert fake_reddit.posts[-1].data["text"] == "Long text"


async def test_first_comment_is_added_under_the_new_post(core, account, fake_reddit):
    fake_reddit.add_sub("talk")
    request = PostRequest("talk", "text", "Hello", body="x", first_comment="More on my profile")
    result = await _submit(core, account, request)
    assert result.ok
    assert result.comment_error is None
    assert fake_reddit.comments[-1]["body"] == "More on my profile"
    assert fake_reddit.comments[-1]["parent_id"] == f"t3_{result.reddit_id}"


async def test_failed_media_processing_is_reported_precisely(core, account, fake_reddit, jpeg):
    fake_reddit.add_sub("pics")
    fake_reddit.websocket_failure = True
    request = PostRequest("pics", "image", "Golden hour", images=(MediaItem(jpeg, "a.jpg"),))
    result = await _submit(core, account, request)
    assert not result.ok
    assert result.error == "reddit_media_failed"


async def test_lost_answer_after_the_post_landed_reports_it_live_and_posts_once(
    core, account, fake_reddit
):
    """Reddit made the post, then its edge answered 502: no blind retry, no 'failed'."""
    fake_reddit.add_sub("pics")
    fake_reddit.lose_reply.add("submit")
    request = PostRequest(subreddit="pics", kind="link", title="Lost answer",
                          url="https://example.com/a")
    async with core.db.session() as session:
        result = await core.reddit.submit(session, account, request)
    [post] = fake_reddit.posts
    assert result.ok
    assert result.reddit_id == post.id
    assert fake_reddit.requests["submit"] == 1


async def test_server_error_before_anything_landed_is_a_clean_failure(core, account, fake_reddit):
    fake_reddit.add_sub("pics")
    fake_reddit.outage.add("submit")
    request = PostRequest(subreddit="pics", kind="text", title="Not yet", body="hi")
    async with core.db.session() as session:
        result = await core.reddit.submit(session, account, request)
    assert not result.ok
    assert result.error == "reddit_unavailable"
    assert fake_reddit.posts == []
    assert fake_reddit.requests["submit"] == 1  # a write is never retried blindly
