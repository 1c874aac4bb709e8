"""Duplicate and repost checks from our own post history in the database, through
`core.reddit` and the real asyncpraw (no hand-built History)."""

from __future__ import annotations

from datetime import timedelta

from core.reddit.types import MediaItem, PostRequest

URL = "https://example.com/my-page"


async def _post(core, user, account, request):
    async with core.db.session() as session:
        return await core.reddit.post(session, await session.merge(user),
                                      await session.merge(account), request,
                                      confirm_warnings=True)


async def _prepare(core, user, account, request):
    async with core.db.session() as session:
        return await core.reddit.prepare(session, await session.merge(user),
                                         await session.merge(account), request)


def _codes(prepared):
    return [issue.code for issue in prepared.verdict.issues]


async def test_same_photo_in_another_subreddit_warns_about_the_duplicate(
        core, user, account, fake_reddit, jpeg):
    fake_reddit.add_sub("alpha")
    fake_reddit.add_sub("beta")
    photo = (MediaItem(jpeg, "a.jpg"),)
    assert (await _post(core, user, account,
                        PostRequest("alpha", "image", "First look", images=photo))).posted
    prepared = await _prepare(core, user, account,
                              PostRequest("beta", "image", "Another day", images=photo))
    assert _codes(prepared) == ["duplicate_image"]
    assert prepared.verdict.issues[0].params == {"where": "alpha"}


async def test_same_link_again_within_the_repost_age_is_blocked(
        core, user, account, fake_reddit):
    fake_reddit.add_sub("links", requirements={"link_repost_age": 30})
    assert (await _post(core, user, account,
                        PostRequest("links", "link", "Read this", url=URL))).posted
    outcome = await _post(core, user, account,
                          PostRequest("links", "link", "Read this again", url=URL + "/"))
    assert outcome.result is None
    assert outcome.prepared.verdict.status == "blocked"
    assert "repost" in _codes(outcome.prepared)
    assert len(fake_reddit.posts) == 1


async def test_same_link_after_the_repost_age_is_not_a_repost(
        core, user, account, fake_reddit, clock):
    fake_reddit.add_sub("links", requirements={"link_repost_age": 30})
    await _post(core, user, account, PostRequest("links", "link", "Read this", url=URL))
    clock.advance(timedelta(days=31))
    outcome = await _post(core, user, account,
                          PostRequest("links", "link", "Read this again", url=URL))
    assert "repost" not in _codes(outcome.prepared)
    assert outcome.posted
